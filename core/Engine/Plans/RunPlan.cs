using System.Text.Json;

namespace Workbench.Engine.Plans;

/// <summary>One run of a plan: its index (the Slurm array task id), the label tables give it, its run folder.</summary>
public sealed record PlannedRun(int Index, string Label, string RunDir);

/// <summary>
/// Runs as data: a plan folder holds one self-contained <see cref="RunConfig"/> per run (<c>runs/NNNN.json</c>,
/// the config <see cref="RunStore"/> decides reuse by) and <c>plan.json</c> listing them, so any machine that
/// sees the folder can train run N with <c>workbench train --config runs/NNNN.json</c> (a finished run is
/// reused, a killed one resumed). An executor (<see cref="SlurmArray"/>) decides where the commands run.
/// </summary>
public sealed class RunPlan
{
    public const string FileName = "plan.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder { get; }
    public IReadOnlyList<PlannedRun> Runs { get; }

    RunPlan(string folder, IReadOnlyList<PlannedRun> runs) { Folder = folder; Runs = runs; }

    public string ConfigFile(int index) => Path.Combine(Folder, "runs", $"{index:D4}.json");

    /// <summary>Writes a fresh plan (the previous plan's configs and task exit files are removed; logs are
    /// kept, named by job). Runs are numbered in the given order; a run folder given twice is planned once.</summary>
    public static RunPlan Write(string folder, IEnumerable<(string Label, RunConfig Config)> runs)
    {
        folder = Path.GetFullPath(folder);
        foreach (var sub in new[] { "runs", "status" })
            if (Directory.Exists(Path.Combine(folder, sub))) Directory.Delete(Path.Combine(folder, sub), recursive: true);
        if (File.Exists(Path.Combine(folder, SlurmArray.SubmissionsFile))) File.Delete(Path.Combine(folder, SlurmArray.SubmissionsFile));
        var planned = new List<PlannedRun>();
        var seen = new HashSet<string>();
        foreach (var (label, config) in runs)
        {
            // absolute, so a task's working directory does not decide where the run lands
            var dir = Path.GetFullPath(config.OutDir);
            if (!seen.Add(dir)) continue;
            var run = new PlannedRun(planned.Count, label, dir);
            planned.Add(run);
        }
        var plan = new RunPlan(folder, planned);
        var byDir = runs.GroupBy(r => Path.GetFullPath(r.Config.OutDir)).ToDictionary(g => g.Key, g => g.First().Config);
        foreach (var r in planned) RunConfigFile.Write(byDir[r.RunDir] with { OutDir = r.RunDir }, plan.ConfigFile(r.Index));
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(planned, Json));
        return plan;
    }

    public static RunPlan Read(string folder)
    {
        folder = Path.GetFullPath(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"no run plan in {folder} ({FileName} missing)", path);
        try
        {
            var runs = JsonSerializer.Deserialize<List<PlannedRun>>(File.ReadAllText(path), Json)
                       ?? throw new InvalidDataException($"{path}: empty plan");
            return new RunPlan(folder, runs);
        }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a run plan: {e.Message}", e); }
    }
}
