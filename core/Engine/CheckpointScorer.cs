using System.Text.Json.Nodes;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Engine;

/// <summary>Anomaly maps [N,H,W] and image scores [N] on the CPU, in input order.</summary>
public sealed class ScoredImages(Tensor maps, Tensor scores) : IDisposable
{
    public Tensor Maps { get; } = maps;
    public Tensor Scores { get; } = scores;
    public float[] ScoreArray() => Scores.data<float>().ToArray();
    /// <summary>The map of image <paramref name="i"/>, flattened row-major (for galleries).</summary>
    public float[] Map(int i) => Maps[i].flatten().data<float>().ToArray();
    public void Dispose() { Maps.Dispose(); Scores.Dispose(); }
}

/// <summary>
/// A trained checkpoint that scores images which never were files (mixups, cut-pastes, any
/// in-memory tensor). The model is rebuilt with the run's seed: a RANDOM teacher is not stored in
/// the checkpoint but re-initialised from that seed, so another seed would give another teacher.
/// </summary>
public sealed class CheckpointScorer : IDisposable
{
    readonly IAnomalyMethod method;

    CheckpointScorer(IAnomalyMethod method) => this.method = method;

    public IAnomalyMethod Method => method;
    public string TeacherDescription => method.TeacherDescription;

    /// <summary>Loads <paramref name="checkpoint"/>, building the model with <paramref name="seed"/> (the run's seed).</summary>
    public static CheckpointScorer Load(string checkpoint, int seed, string device = "auto")
    {
        var config = Checkpoint.ReadConfig(checkpoint);
        var m = MethodFactory.Create(config, DeviceChoice.Resolve(device), seed);
        try { Checkpoint.Load(checkpoint, m); }
        catch { m.Dispose(); throw; }
        return new CheckpointScorer(m);
    }

    /// <summary>Loads a run folder's checkpoint with the seed recorded in its manifest.json.</summary>
    public static CheckpointScorer ForRun(string runDir, string device = "auto")
    {
        var manifest = Path.Combine(runDir, "manifest.json");
        if (!File.Exists(manifest)) throw new FileNotFoundException($"{runDir}: no manifest.json (not a run folder?)", manifest);
        int seed = JsonNode.Parse(File.ReadAllText(manifest))?["Config"]?["Seed"]?.GetValue<int>()
                   ?? throw new InvalidDataException($"{manifest}: no Config.Seed");
        return Load(Path.Combine(runDir, Checkpoint.FileName), seed, device);
    }

    /// <summary>Scores images [N,3,H,W] in [0,1] (any device; normalised here) in batches.</summary>
    public ScoredImages Score(Tensor raw, int batchSize = 16)
    {
        if (raw.dim() != 4 || raw.shape[1] != 3) throw new ArgumentException($"expected [N,3,H,W] images in [0,1], got [{string.Join(",", raw.shape)}]");
        if (batchSize <= 0) throw new ArgumentException($"batch size {batchSize} must be positive");
        var maps = new List<Tensor>(); var scores = new List<Tensor>();
        for (long start = 0; start < raw.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(batchSize, raw.shape[0] - start);
            var x = ImageTensors.NormalizeImageNet(raw.narrow(0, start, n).to(method.Device));
            using var pred = method.Predict(x);
            maps.Add(pred.Maps.squeeze(1).to(CPU).MoveToOuterDisposeScope());
            scores.Add(pred.Scores.to(CPU).MoveToOuterDisposeScope());
        }
        var result = new ScoredImages(cat(maps, 0), cat(scores, 0));
        foreach (var t in maps.Concat(scores)) t.Dispose();
        return result;
    }

    public void Dispose() => method.Dispose();
}
