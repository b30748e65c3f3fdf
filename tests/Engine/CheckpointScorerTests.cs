using System.Text.Json.Nodes;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

public class CheckpointScorerTests
{
    /// <summary>An untrained FD run folder (random teacher from <paramref name="seed"/>): checkpoint + manifest with the seed.</summary>
    static string FakeRun(TempDir d, int seed, out IAnomalyMethod method)
    {
        TorchRuntime.EnsureLoaded();
        method = MethodFactory.Create(new FdConfig { TeacherWeights = "random", Epochs = 1 }, CPU, seed);
        Checkpoint.Save(d.File(Checkpoint.FileName), method, new TrainingState(0, 1, new List<EpochRecord>()));
        File.WriteAllText(d.File("manifest.json"), new JsonObject { ["Config"] = new JsonObject { ["Seed"] = seed } }.ToJsonString());
        return d.Path;
    }

    [Fact]
    public void ScoresRawImagesLikeTheTrainedMethodWhateverTheBatchSize()
    {
        using var d = new TempDir();
        var dir = FakeRun(d, seed: 3, out var original);
        using (original)
        {
            using var raw = rand(new long[] { 5, 3, 32, 32 }, generator: new Generator(1));
            using var expected = original.Predict(ImageTensors.NormalizeImageNet(raw));
            using var scorer = CheckpointScorer.ForRun(dir, "cpu");
            using var one = scorer.Score(raw, batchSize: 1);
            using var all = scorer.Score(raw, batchSize: 4);
            Assert.Equal(new long[] { 5, 32, 32 }, one.Maps.shape);
            Assert.True(one.Scores.allclose(expected.Scores, 1e-4, 1e-5));
            Assert.True(all.Maps.allclose(expected.Maps.squeeze(1), 1e-4, 1e-5));
            Assert.Equal(5, one.ScoreArray().Length);
            Assert.Equal(32 * 32, one.Map(2).Length);
        }
    }

    [Fact]
    public void ARandomTeacherNeedsTheRunSeed()
    {
        using var d = new TempDir();
        var dir = FakeRun(d, seed: 5, out var original);
        original.Dispose();
        using var raw = rand(new long[] { 2, 3, 32, 32 }, generator: new Generator(2));
        using var right = CheckpointScorer.ForRun(dir, "cpu");
        using var wrong = CheckpointScorer.Load(Path.Combine(dir, Checkpoint.FileName), seed: 0, "cpu");
        using var a = right.Score(raw);
        using var b = wrong.Score(raw);
        Assert.False(a.Scores.allclose(b.Scores, 1e-4, 1e-5), "a different seed gave the same teacher: the seed plumbing is untested");
        Assert.Throws<FileNotFoundException>(() => CheckpointScorer.ForRun(Path.Combine(dir, "nope"), "cpu"));
    }
}
