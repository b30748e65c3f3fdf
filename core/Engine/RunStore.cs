using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Engine;

/// <summary>How <see cref="RunStore.Ensure"/> obtained a run (Evaluated: a test-time variant of a trained one, <see cref="CheckpointVariant"/>).</summary>
public enum RunOutcome { Reused, Resumed, Trained, Evaluated }

/// <summary>
/// Run-or-reuse for experiments: a run folder whose manifest holds exactly the requested config and
/// whose metrics were written is reused; one with a checkpoint of the same config is resumed (a killed
/// experiment loses only the unfinished epoch); anything else is trained from scratch. Experiments
/// that share a run (same config, same folder) train it once.
/// </summary>
public static class RunStore
{
    /// <summary>How a run config is written: in manifests, in plan folders (<see cref="RunConfigFile"/>) and for comparison.</summary>
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static (string RunDir, RunOutcome Outcome) Ensure(Trainer trainer, RunConfig config, TextWriter log)
    {
        var dir = config.OutDir;
        bool sameConfig = SameConfig(dir, config);
        if (IsFinished(dir, config))
        {
            log.WriteLine($"reuse {dir} (same config, finished)");
            return (dir, RunOutcome.Reused);
        }
        bool resume = sameConfig && File.Exists(Path.Combine(dir, Checkpoint.FileName));
        if (!sameConfig && Directory.Exists(dir) && File.Exists(Path.Combine(dir, "manifest.json")))
        {
            log.WriteLine($"warning: {dir} holds a run with a different config; it is retrained and overwritten");
            using (RunFolderLock.Acquire(dir))
                foreach (var f in new[] { Checkpoint.FileName, "metrics.json" })
                    if (File.Exists(Path.Combine(dir, f))) File.Delete(Path.Combine(dir, f));
        }
        trainer.Run(config, resume);
        return (dir, resume ? RunOutcome.Resumed : RunOutcome.Trained);
    }

    /// <summary>True when <paramref name="dir"/> holds a finished run (metrics written) of exactly <paramref name="config"/>:
    /// what <see cref="Ensure"/> reuses.</summary>
    public static bool IsFinished(string dir, RunConfig config) =>
        SameConfig(dir, config) && File.Exists(Path.Combine(dir, "metrics.json"));

    /// <summary>True when <paramref name="dir"/>/manifest.json records exactly <paramref name="config"/>, apart from
    /// the folder itself (OutDir): a run folder reached through another work tree, a link or shared storage is the
    /// same run.</summary>
    public static bool SameConfig(string dir, RunConfig config)
    {
        var path = Path.Combine(dir, "manifest.json");
        if (!File.Exists(path)) return false;
        JsonNode? stored;
        try { stored = JsonNode.Parse(File.ReadAllText(path))?["Config"]; }
        catch (JsonException) { return false; }
        if (stored is not JsonObject storedObject) return false;
        var wanted = JsonSerializer.SerializeToNode(config, Json)!.AsObject();
        var storedCopy = storedObject.DeepClone().AsObject();
        storedCopy.Remove(nameof(RunConfig.OutDir));
        wanted.Remove(nameof(RunConfig.OutDir));
        return JsonNode.DeepEquals(storedCopy, wanted);
    }
}
