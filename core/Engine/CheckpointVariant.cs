using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Imaging;
using Workbench.Methods;

namespace Workbench.Engine;

/// <summary>
/// A test-time variant of a trained run: its checkpoint evaluated with a rewritten method config (DSKD's
/// Variant, DMDD's Score or Segmentation, SNL's map weight), so ablations that differ only in the map
/// train once. The variant lives in &lt;run&gt;/variants/&lt;name&gt;/ with a manifest shaped like a run's
/// (Config.Method = the rewritten config, plus EvaluatedFrom), so run tables read it like any run. It is
/// reused while the checkpoint and the rewritten config are unchanged.
/// </summary>
public static class CheckpointVariant
{
    public const string Folder = "variants";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static (string Dir, RunOutcome Outcome) Ensure(Trainer trainer, string runDir, string name, Func<MethodConfig, MethodConfig> configure,
                                                        TextWriter log, ImageStore? store = null)
    {
        var manifestPath = Path.Combine(runDir, "manifest.json");
        var checkpoint = Path.Combine(runDir, Checkpoint.FileName);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"variant {name}: {runDir} has no manifest.json", manifestPath);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"variant {name}: {runDir} has no {Checkpoint.FileName}", checkpoint);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        var run = manifest["Config"].Deserialize<RunConfig>(Json) ?? throw new InvalidDataException($"{manifestPath}: no Config");
        var method = configure(Checkpoint.ReadConfig(checkpoint));
        if (method.GetType() != run.Method.GetType())
            throw new ArgumentException($"variant {name}: the config rewrite turned a {run.Method.MethodName} config into {method.MethodName}");
        var dir = Path.Combine(runDir, Folder, name);
        var wanted = run with { Method = method, OutDir = dir };
        // The checkpoint's time and size: a retrained run invalidates its variants.
        var info = new FileInfo(checkpoint);
        var stamp = $"{info.LastWriteTimeUtc:o} {info.Length}";
        if (RunStore.SameConfig(dir, wanted) && File.Exists(Path.Combine(dir, "metrics.json")) && StoredStamp(dir) == stamp)
        {
            log.WriteLine($"reuse {dir} (same checkpoint and config)");
            return (dir, RunOutcome.Reused);
        }
        log.WriteLine($"evaluate {checkpoint} as variant {name}");
        trainer.EvaluateCheckpoint(checkpoint, run.Data, run.Seed, run.BatchSize, run.Device, dir, store, _ => method, run.Rd4adPro);
        manifest["Config"] = JsonSerializer.SerializeToNode(wanted, Json);
        manifest["EvaluatedFrom"] = checkpoint;
        manifest["CheckpointStamp"] = stamp;
        AtomicFile.WriteAllText(Path.Combine(dir, "manifest.json"), manifest.ToJsonString(Json));
        return (dir, RunOutcome.Evaluated);
    }

    static string? StoredStamp(string dir)
    {
        try { return JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))?["CheckpointStamp"]?.GetValue<string>(); }
        catch (JsonException) { return null; }
    }
}
