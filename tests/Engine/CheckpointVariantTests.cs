using Workbench.Data;
using Workbench.Engine;
using Workbench.Methods;
using Workbench.Methods.Dskd;
using Workbench.Methods.Rd;
using Workbench.Reporting;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

/// <summary>Test-time variants of one trained checkpoint (EvaluateCheckpoint with a config rewrite, CheckpointVariant).</summary>
public class CheckpointVariantTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    static readonly Trainer Quiet = new(LineProgressSink.Silent, TextWriter.Null);

    RunConfig Config(string outDir, MethodConfig method) => new()
    {
        Data = new DataConfig("synthetic", data.Root, new[] { MvtecLayout.Categories(data.Root)[0] }, "one-class", 64),
        Method = method, Seed = 3, BatchSize = 4, Device = "cpu", OutDir = outDir, MaxStepsPerEpoch = 2,
    };

    [Fact]
    public void RewrittenConfigIsUsedAndRecorded_AndTheVariantIsReusedUntilTheCheckpointChanges()
    {
        using var d = new TempDir();
        var run = Path.Combine(d.Path, "run");
        var trained = Quiet.Run(Config(run, new RdConfig { TeacherWeights = "random", Epochs = 1 }), store: data.Store);

        var (same, o1) = CheckpointVariant.Ensure(Quiet, run, "identity", c => c, TextWriter.Null, data.Store);
        Assert.Equal(RunOutcome.Evaluated, o1);
        Assert.Equal(trained.Metrics.Mean.PixelAuroc, RunTable.Read("rd", same).Single(r => r.Category == "mean").PixelAuroc, 6);

        var (sharp, o2) = CheckpointVariant.Ensure(Quiet, run, "sigma0", c => c with { Sigma = 0 }, TextWriter.Null, data.Store);
        Assert.Equal(RunOutcome.Evaluated, o2);
        var row = RunTable.Read("rd σ=0", sharp).Single(r => r.Category == "mean");
        Assert.Equal("rd σ=0", row.Label);
        Assert.NotEqual(trained.Metrics.Mean.PixelAuroc, row.PixelAuroc);   // unsmoothed maps rank pixels differently
        Assert.Contains("\"Sigma\": 0", File.ReadAllText(Path.Combine(sharp, "manifest.json")));
        Assert.Contains("EvaluatedFrom", File.ReadAllText(Path.Combine(sharp, "manifest.json")));

        Assert.Equal(RunOutcome.Reused, CheckpointVariant.Ensure(Quiet, run, "sigma0", c => c with { Sigma = 0 }, TextWriter.Null, data.Store).Outcome);
        // a different rewrite under the same name, or a rewritten checkpoint, is evaluated again
        Assert.Equal(RunOutcome.Evaluated, CheckpointVariant.Ensure(Quiet, run, "sigma0", c => c with { Sigma = 1 }, TextWriter.Null, data.Store).Outcome);
        File.SetLastWriteTimeUtc(Path.Combine(run, Checkpoint.FileName), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(RunOutcome.Evaluated, CheckpointVariant.Ensure(Quiet, run, "sigma0", c => c with { Sigma = 1 }, TextWriter.Null, data.Store).Outcome);
    }

    [Fact]
    public void ARewriteToAnotherMethodIsRefused()
    {
        using var d = new TempDir();
        var run = Path.Combine(d.Path, "run");
        Quiet.Run(Config(run, new RdConfig { TeacherWeights = "random", Epochs = 1 }), store: data.Store);
        var e = Assert.Throws<ArgumentException>(() => CheckpointVariant.Ensure(Quiet, run, "x", _ => new DskdConfig { TeacherWeights = "random" }, TextWriter.Null, data.Store));
        Assert.Contains("dskd", e.Message);
    }

    [Fact]
    public void DskdForwardVariantOfALearnedCheckpointEqualsAForwardModelWithTheSameWeights()
    {
        using var d = new TempDir();
        var run = Path.Combine(d.Path, "run");
        var cfg = new DskdConfig { TeacherWeights = "random", Epochs = 1, FusionSteps = 1 };
        Quiet.Run(Config(run, cfg), store: data.Store);
        var ckpt = Path.Combine(run, Checkpoint.FileName);
        var viaOverride = Quiet.EvaluateCheckpoint(ckpt, Config(run, cfg).Data, 3, 4, "cpu", Path.Combine(d.Path, "fwd"), data.Store,
                                                   c => c with { Sigma = c.Sigma } is DskdConfig k ? k with { Variant = DskdVariant.Forward } : c);
        var learned = Quiet.EvaluateCheckpoint(ckpt, Config(run, cfg).Data, 3, 4, "cpu", Path.Combine(d.Path, "learned"), data.Store);

        // reference: a Forward model built directly, loaded with the same weights
        using var direct = (DskdMethod)MethodFactory.Create(cfg with { Variant = DskdVariant.Forward }, CPU, 3);
        Checkpoint.Load(ckpt, direct);
        var split = DataSetup.Load(Config(run, cfg).Data, 3);
        var test = new BatchLoader(split.Test, 64, data.Store, CPU);
        var (metrics, scores) = Quiet.EvaluateOn(direct, test, split, 4);

        Assert.Equal(scores.Select(s => s.Score), viaOverride.Scores.Select(s => s.Score));
        Assert.Equal(metrics.Mean.PixelAuroc, viaOverride.Metrics.Mean.PixelAuroc);
        Assert.NotEqual(learned.Scores.Select(s => s.Score), viaOverride.Scores.Select(s => s.Score));
    }
}
