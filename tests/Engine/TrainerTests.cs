using Workbench.Data;
using Workbench.Data.Synthetic;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine;

/// <summary>
/// The trainer on a tiny built-in synthetic benchmark (one category, 64 px): determinism,
/// resume, the run folder. One generated dataset is shared by the tests of this class.
/// </summary>
public sealed class TinySyntheticData : IDisposable
{
    public readonly TempDir Dir = new();
    public string Root => Path.Combine(Dir.Path, "synthetic");
    public readonly ImageStore Store = new();
    public TinySyntheticData()
    {
        TorchRuntime.EnsureLoaded();
        SyntheticBenchmark.Generate(Root, new SyntheticOptions(Size: 64, TrainPerCategory: 12, TestGoodPerCategory: 4, TestPerDefect: 3, Seed: 11));
    }
    public void Dispose() => Dir.Dispose();
}

public class TrainerTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    RunConfig Config(string outDir, MethodConfig method, int epochs) => new()
    {
        Data = new DataConfig("synthetic", data.Root, new[] { MvtecLayout.Categories(data.Root)[0] }, "one-class", 64),
        Method = method with { Epochs = epochs },
        Seed = 5, BatchSize = 4, Device = "cpu", OutDir = outDir,
    };

    static RunResult Run(RunConfig c, ImageStore store, bool resume = false, bool keepOptimiserState = false) =>
        new Trainer(LineProgressSink.Silent, TextWriter.Null).Run(c, resume, store, keepOptimiserState);

    [Fact]
    public void SameSeedGivesSameLossesAndMetrics()
    {
        using var d = new TempDir();
        var method = new RdConfig { Teacher = "resnet18", TeacherWeights = "random" };
        var a = Run(Config(Path.Combine(d.Path, "a"), method, 2), data.Store);
        var b = Run(Config(Path.Combine(d.Path, "b"), method, 2), data.Store);
        Assert.Equal(a.History.Select(h => h.Losses["loss"]), b.History.Select(h => h.Losses["loss"]));
        Assert.Equal(a.Metrics.Mean.ImageAuroc, b.Metrics.Mean.ImageAuroc);
        Assert.Equal(a.Metrics.Mean.PixelAuroc, b.Metrics.Mean.PixelAuroc);
        Assert.Equal(a.Scores.Select(s => s.Score), b.Scores.Select(s => s.Score));
    }

    [Fact]
    public void ResumeContinuesTheLossCurveExactly()
    {
        using var d = new TempDir();
        var method = new FdConfig { Teacher = "resnet18", TeacherWeights = "random", LearningRate = 0.05 };
        var straight = Run(Config(Path.Combine(d.Path, "straight"), method, 3), data.Store);
        var dir = Path.Combine(d.Path, "resumed");
        // "killed" after epoch 1 (a finished 1-epoch run, kept extendable: a finished run drops its optimiser state)
        Run(Config(dir, method, 1), data.Store, keepOptimiserState: true);
        var resumed = Run(Config(dir, method, 3), data.Store, resume: true);
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(straight.History.Select(h => h.Losses["loss"]), resumed.History.Select(h => h.Losses["loss"]));
        Assert.Equal(straight.Metrics.Mean.ImageAuroc, resumed.Metrics.Mean.ImageAuroc);
    }

    [Fact]
    public void RunFolderHoldsManifestMetricsHistoryScoresAndCheckpoint()
    {
        using var d = new TempDir();
        var r = Run(Config(d.Path, new RdConfig { TeacherWeights = "random" }, 1), data.Store);
        foreach (var f in new[] { "manifest.json", "metrics.json", "metrics.csv", "history.csv", "scores.csv", Checkpoint.FileName })
            Assert.True(File.Exists(Path.Combine(d.Path, f)), f);
        var manifest = File.ReadAllText(Path.Combine(d.Path, "manifest.json"));
        Assert.Contains("\"TeacherPretrained\": false", manifest);
        Assert.Contains("RANDOM", r.Teacher.ToUpperInvariant());
        Assert.Equal(File.ReadLines(Path.Combine(d.Path, "scores.csv")).Count() - 1, r.Scores.Count);
        // eval from the checkpoint reproduces the run's own numbers
        var again = new Trainer(LineProgressSink.Silent, TextWriter.Null).EvaluateCheckpoint(
            Path.Combine(d.Path, Checkpoint.FileName), Config(d.Path, new RdConfig(), 1).Data, 5, 4, "cpu", Path.Combine(d.Path, "eval"), data.Store);
        Assert.Equal(r.Metrics.Mean.ImageAuroc, again.Metrics.Mean.ImageAuroc, 6);
    }

    [Fact]
    public void AFinishedRunKeepsWeightsOnlyAndItsCheckpointReproducesItsScores()
    {
        using var d = new TempDir();
        var method = new RdConfig { Teacher = "resnet18", TeacherWeights = "random" };
        var finished = Run(Config(Path.Combine(d.Path, "finished"), method, 1), data.Store);
        var kept = Run(Config(Path.Combine(d.Path, "kept"), method, 1), data.Store, keepOptimiserState: true);
        string slim = Path.Combine(finished.RunDir, Checkpoint.FileName), full = Path.Combine(kept.RunDir, Checkpoint.FileName);
        Assert.False(Checkpoint.HoldsOptimiserState(slim));
        Assert.True(Checkpoint.HoldsOptimiserState(full));
        // RD trains with Adam: weights + two moments per parameter; the finished checkpoint keeps the first third
        double ratio = (double)new FileInfo(slim).Length / new FileInfo(full).Length;
        Assert.InRange(ratio, 0.32, 0.35);
        Assert.Equal(kept.Scores.Select(s => s.Score), finished.Scores.Select(s => s.Score));

        var again = new Trainer(LineProgressSink.Silent, TextWriter.Null).EvaluateCheckpoint(
            slim, Config(d.Path, method, 1).Data, 5, 4, "cpu", Path.Combine(d.Path, "eval"), data.Store);
        Assert.Equal(finished.Scores.Select(s => s.Score), again.Scores.Select(s => s.Score));
        Assert.Equal(finished.History.Select(h => h.Losses["loss"]), again.History.Select(h => h.Losses["loss"]));
    }

    [Fact]
    public void AFinishedRunsCheckpointCannotContinueTrainingButResumesToItsEvaluation()
    {
        using var d = new TempDir();
        var method = new FdConfig { Teacher = "resnet18", TeacherWeights = "random" };
        var dir = Path.Combine(d.Path, "run");
        var first = Run(Config(dir, method, 1), data.Store);
        var e = Assert.Throws<InvalidOperationException>(() => Run(Config(dir, method, 2), data.Store, resume: true));
        Assert.Contains(Path.Combine(dir, Checkpoint.FileName), e.Message);
        Assert.Contains("--keep-optimiser-state", e.Message);
        // nothing left to train (killed between the final checkpoint and the metrics): evaluated again, same scores
        var again = Run(Config(dir, method, 1), data.Store, resume: true);
        Assert.Equal(first.Scores.Select(s => s.Score), again.Scores.Select(s => s.Score));
    }
}
