using System.Text.Json;
using Workbench.Distillation;
using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;
using Workbench.Methods.Snl;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Snl;

public class SnlMethodTests
{
    public SnlMethodTests() => TorchRuntime.EnsureLoaded();

    static SnlMethod Make(string name, params string[] options)
    {
        var cfg = MethodOptions.Apply(MethodFactory.DefaultConfig(name) with { Teacher = "resnet18", TeacherWeights = "random" }, options);
        return (SnlMethod)MethodFactory.Create(cfg, CPU, 0);
    }

    [Theory]
    [InlineData("snl-fd")]
    [InlineData("snl-rd")]
    public void TrainStepReportsEveryTermAndMovesStudentAndCentresButNotTeacher(string name)
    {
        using var method = Make(name);
        Assert.Equal(name, method.Name);
        Assert.Equal(3, method.Crams.Count);
        var tBefore = method.TeacherNetwork.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var centres = method.Crams.Select(c => c.Centres.detach().clone()).ToList();
        manual_seed(3);
        using var x = randn(4, 3, 64, 64);
        var losses = method.TrainStep(x, new StepContext("student", 0, 0, 0));
        foreach (var k in new[] { "loss", "channel", "spatial", "intra", "inter", "cram_diversity" })
            Assert.True(losses.ContainsKey(k) && double.IsFinite(losses[k]), k);
        Assert.True(losses["loss"] > 0);
        foreach (var (k, v) in method.TeacherNetwork.state_dict())
            Assert.True(v.eq(tBefore[k]).all().item<bool>(), $"teacher tensor {k} changed");
        Assert.All(method.Crams.Zip(centres), p => Assert.False(p.First.Centres.eq(p.Second).all().item<bool>()));
        using var pred = method.Predict(x);
        Assert.Equal(new long[] { 4, 1, 64, 64 }, pred.Maps.shape);
        Assert.Equal(new long[] { 4 }, pred.Scores.shape);
        Assert.True(pred.Maps.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData("snl-fd", "fd")]
    [InlineData("snl-rd", "rd")]
    public void StudentHasTheBaselineParametersPlusTheCentres(string snl, string baseline)
    {
        using var method = Make(snl);
        using var plain = (TeacherStudentMethod)MethodFactory.Create(MethodFactory.DefaultConfig(baseline) with { TeacherWeights = "random" }, CPU, 0);
        long cram = new long[] { 64, 128, 256 }.Sum(c => 32 * c + 1);
        Assert.Equal(plain.ParameterCounts()["student"] + cram, method.ParameterCounts()["student"]);
        using var off = Make(snl, "UseCram=false");
        Assert.Empty(off.Crams);
        Assert.Equal(plain.ParameterCounts()["student"], off.ParameterCounts()["student"]);
    }

    // Issue 16 item 6: by default SNL keeps its baseline's loss form and level combination, so switching
    // SNL's parts off (and nothing else) gives exactly the baseline; an ablation row changes one thing.
    [Fact]
    public void SnlRdWithEverySnlPartOffIsRd()
    {
        using var snl = Make("snl-rd", "UseCram=false", "SpatialWeight=0", "IntraWeight=0", "InterWeight=0", "MapIntraWeight=0",
                             "CramDiversityWeight=0");
        using var rd = (TeacherStudentMethod)MethodFactory.Create(new RdConfig { TeacherWeights = "random" }, CPU, 0);
        SameTrajectory(snl, rd);
    }

    [Fact]
    public void SnlFdWithEverySnlPartOffIsFd()
    {
        using var snl = Make("snl-fd", "UseCram=false", "SpatialWeight=0", "IntraWeight=0", "InterWeight=0", "MapIntraWeight=0",
                             "CramDiversityWeight=0");
        using var fd = (TeacherStudentMethod)MethodFactory.Create(new FdConfig { TeacherWeights = "random", Loss = FdLossForm.Cosine }, CPU, 0);
        SameTrajectory(snl, fd);
    }

    [Fact]
    public void BaselineFormsAreTheDefaultsAndStayOptions()
    {
        var rd = (SnlConfig)MethodFactory.DefaultConfig("snl-rd");
        var fd = (SnlConfig)MethodFactory.DefaultConfig("snl-fd");
        Assert.Equal((ChannelForm.Flattened, LevelCombine.Sum), (rd.EffectiveChannelForm, rd.EffectiveCombine));
        Assert.Equal((ChannelForm.PerPosition, LevelCombine.Product), (fd.EffectiveChannelForm, fd.EffectiveCombine));
        var set = (SnlConfig)MethodOptions.Apply(rd, new[] { "ChannelForm=PerPosition", "Combine=Product" });
        Assert.Equal((ChannelForm.PerPosition, LevelCombine.Product), (set.EffectiveChannelForm, set.EffectiveCombine));
    }

    static void SameTrajectory(IAnomalyMethod a, IAnomalyMethod b)
    {
        manual_seed(7);
        using var x = randn(4, 3, 64, 64);
        for (int step = 0; step < 2; step++)
        {
            var la = a.TrainStep(x, new StepContext("student", 0, step, 0))["loss"];
            var lb = b.TrainStep(x, new StepContext("student", 0, step, 0))["loss"];
            Assert.Equal(lb, la, 5);
        }
        using var pa = a.Predict(x);
        using var pb = b.Predict(x);
        Assert.True(pa.Maps.allclose(pb.Maps, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void MapAddsTheIntraAffinityDistance()
    {
        manual_seed(8);
        using var scope = NewDisposeScope();
        var t = randn(2, 16, 8, 8);
        var s = randn(2, 16, 8, 8);
        var plain = SnlMap.Level(t, s, new SnlConfig { MapIntraWeight = 0 });
        var withIntra = SnlMap.Level(t, s, new SnlConfig { MapIntraWeight = 2 });
        var intra = StructuralDistance.IntraMap(t, s, 32, 256, AffinityPenalty.Absolute);
        Assert.True(withIntra.allclose(plain + 2 * intra, atol: 1e-6));
        Assert.True(plain.allclose(FeatureDistance.CosinePerPosition(t, s)));
        // pooled below the level size: upsampled back to it
        var capped = SnlMap.Level(t, s, new SnlConfig { IntraCap = 4 });
        Assert.Equal(new long[] { 2, 1, 8, 8 }, capped.shape);
    }

    [Theory]
    [InlineData("snl-fd")]
    [InlineData("snl-rd")]
    public void SaveLoadRestoresPredictions(string name)
    {
        using var a = Make(name);
        manual_seed(9);
        using var x = randn(2, 3, 64, 64);
        a.TrainStep(x, new StepContext("student", 0, 0, 0));
        var cfg = (SnlConfig)a.Config;
        using var b = (SnlMethod)MethodFactory.Create(cfg, CPU, 0);   // same (random) teacher, untrained student
        using (var p0 = b.Predict(x)) using (var pa0 = a.Predict(x)) Assert.False(p0.Maps.allclose(pa0.Maps));
        CheckpointCopy.Into(a, b);
        using var pa = a.Predict(x);
        using var pb = b.Predict(x);
        Assert.True(pa.Maps.allclose(pb.Maps));
        // the optimiser state came along: one more identical step keeps them equal
        var la = a.TrainStep(x, new StepContext("student", 0, 1, 0))["loss"];
        var lb = b.TrainStep(x, new StepContext("student", 0, 1, 0))["loss"];
        Assert.Equal(la, lb, 6);
    }

    [Fact]
    public void ConfigRoundTripsThroughJsonAndOptions()
    {
        var cfg = MethodOptions.Apply(MethodFactory.DefaultConfig("snl-fd"), new[] { "SpatialForm=SoftmaxKl", "IntraCap=16", "UseCram=false", "InterWeight=0.5" });
        var snl = Assert.IsType<SnlConfig>(cfg);
        Assert.Equal(("fd", SpatialForm.SoftmaxKl, 16, false, 0.5), (snl.Base, snl.SpatialForm, snl.IntraCap, snl.UseCram, snl.InterWeight));
        Assert.Equal("snl-fd", snl.MethodName);
        var json = JsonSerializer.Serialize<MethodConfig>(snl);
        Assert.Contains("\"method\":\"snl\"", json);
        Assert.Equal(snl, JsonSerializer.Deserialize<MethodConfig>(json));
        Assert.Throws<ArgumentException>(() => MethodOptions.Apply(cfg, new[] { "NoSuchOption=1" }));
    }
}
