using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbench.Engine;

/// <summary>
/// How a run folder's model was trained: commit (with "-dirty" for uncommitted changes), libtorch threads,
/// device, training seconds (summed over history.csv, so across resumes) and start time. Read from the run's
/// own files, so an experiment that reuses the run still reports its training, not the reuse.
/// </summary>
public sealed record RunProvenance(string GitCommit, int Threads, string Device, double TrainSeconds, string StartedUtc)
{
    public bool Dirty => GitCommit.EndsWith("-dirty", StringComparison.Ordinal);

    public static RunProvenance Read(string runDir)
    {
        var manifestPath = Path.Combine(runDir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"run folder {runDir} has no manifest.json", manifestPath);
        var m = JsonNode.Parse(File.ReadAllText(manifestPath))
                ?? throw new InvalidDataException($"{manifestPath}: empty manifest");
        return From(m, runDir);
    }

    /// <summary>The same from a manifest the caller has already parsed.</summary>
    public static RunProvenance From(JsonNode m, string runDir) =>
        new RunProvenance(
            m["GitCommit"]?.GetValue<string>() ?? "unknown",
            m["Threads"]?.GetValue<int>() ?? 0,
            m["Device"]?.GetValue<string>() ?? "",
            SumOfEpochSeconds(runDir),
            m["StartedUtc"]?.GetValue<string>() ?? "");

    /// <summary>Training seconds summed over history.csv's epochs (every phase); NaN without one.</summary>
    static double SumOfEpochSeconds(string runDir)
    {
        var path = Path.Combine(runDir, "history.csv");
        if (!File.Exists(path)) return double.NaN;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return double.NaN;
        int col = Array.IndexOf(lines[0].Split(','), "seconds");
        if (col < 0) throw new InvalidDataException($"{path}: no 'seconds' column");
        return lines.Skip(1).Where(l => l.Length > 0).Sum(l => double.Parse(l.Split(',')[col], CultureInfo.InvariantCulture));
    }
}
