using System.Text.Json;
using Workbench.Runtime;

namespace Workbench.Engine;

/// <summary>
/// manifest.json of an experiment folder (results/&lt;experiment&gt;/&lt;preset&gt;/): the preset and its
/// settings, the commit, device and wall time, and every run folder the tables were built from
/// (each run folder has its own full manifest).
/// </summary>
public sealed record ExperimentManifest
{
    public required string Experiment { get; init; }
    public required string Preset { get; init; }
    public required string Command { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }
    public required string Teacher { get; init; }
    public required bool TeacherPretrained { get; init; }
    public string GitCommit { get; init; } = RunManifest.ReadGitCommit(Directory.GetCurrentDirectory());
    public string Machine { get; init; } = RunManifest.MachineDescription();
    public string TorchSharp { get; init; } = TorchRuntime.TorchSharpVersion;
    public required string Device { get; init; }
    public required double WallSeconds { get; init; }
    public required IReadOnlyList<ExperimentRun> Runs { get; init; }
    public IReadOnlyList<string> Outputs { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>One run used by an experiment: its label, folder, whether it was reused, resumed or trained now
/// (Seconds: this experiment's time on it), and how it was trained (from the run's own manifest).</summary>
public sealed record ExperimentRun(string Label, string RunDir, string Outcome, double Seconds)
{
    public RunProvenance? Training { get; init; }
}
