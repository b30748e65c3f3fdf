using Workbench.Methods.Rd;
using Workbench.Methods;
using Workbench.Methods.Dskd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Dskd;

/// <summary>DSKD end to end on tiny tensors: phases per variant, what each phase trains, checkpoints, parameter counts.</summary>
public class DskdMethodTests(ITestOutputHelper output)
{
    static DskdMethod Make(params string[] options)
    {
        TorchRuntime.EnsureLoaded();
        var cfg = MethodFactory.DefaultConfig("dskd") with { Teacher = "resnet18", TeacherWeights = "random" };
        return (DskdMethod)MethodFactory.Create(MethodOptions.Apply(cfg, options), CPU, 0);
    }

    static List<Tensor> Snapshot(nn.Module m) => m.parameters().Select(p => p.detach().clone()).ToList();
    static int Moved(nn.Module m, List<Tensor> before) =>
        m.parameters().Zip(before).Count(pair => !pair.First.eq(pair.Second).all().item<bool>());

    [Theory]
    [InlineData("Learned", "TwoPhase", "students,fusion")]
    [InlineData("Learned", "Joint", "joint")]
    [InlineData("Forward", "TwoPhase", "students")]
    [InlineData("Reverse", "TwoPhase", "students")]
    [InlineData("Manual", "TwoPhase", "students")]
    public void PhasesFollowVariantAndSchedule(string variant, string schedule, string phases)
    {
        using var m = Make($"Variant={variant}", $"FusionSchedule={schedule}", "Epochs=3", "FusionSteps=25");
        Assert.Equal(phases, string.Join(",", m.Phases.Select(p => p.Name)));
        // The fusion phase is sized in steps: 25 steps are 3 epochs of 10 steps and 25 epochs of 1 step.
        if (phases == "students,fusion") Assert.Equal((3, 25), (m.Phases[1].EpochsFor(10), m.Phases[1].EpochsFor(1)));
    }

    [Fact]
    public void StudentPhaseTrainsBothStudentsThenFusionPhaseOnlyTheFusionNet()
    {
        using var m = Make();
        var teacherBefore = Snapshot(m.TeacherNetwork);
        var f0 = Snapshot(m.ForwardStudent); var r0 = Snapshot(m.ReverseStudent); var u0 = Snapshot(m.Fusion);
        manual_seed(3);
        using var x = randn(4, 3, 64, 64);
        var losses = m.TrainStep(x, new StepContext(DskdMethod.StudentsPhase, 0, 0, 7));
        Assert.True(losses["loss"] > 0 && losses.ContainsKey("forward1") && losses.ContainsKey("reverse3"));
        Assert.True(Moved(m.ForwardStudent, f0) > f0.Count / 2);
        Assert.True(Moved(m.ReverseStudent, r0) > r0.Count / 2);
        Assert.Equal(0, Moved(m.Fusion, u0));

        var f1 = Snapshot(m.ForwardStudent); var r1 = Snapshot(m.ReverseStudent);
        var buffers = m.ForwardStudent.buffers().Concat(m.ReverseStudent.buffers()).Select(b => b.clone()).ToList();
        var fuse = m.TrainStep(x, new StepContext(DskdMethod.FusionPhase, 0, 0, 7));
        Assert.InRange(fuse["dice"], 0.0, 1.0);
        Assert.Equal(u0.Count, Moved(m.Fusion, u0));
        Assert.Equal(0, Moved(m.ForwardStudent, f1));
        Assert.Equal(0, Moved(m.ReverseStudent, r1));
        // BN running statistics of the frozen students do not move on synthetic images either.
        var after = m.ForwardStudent.buffers().Concat(m.ReverseStudent.buffers()).ToList();
        Assert.All(after.Zip(buffers), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
        Assert.Equal(0, Moved(m.TeacherNetwork, teacherBefore));
    }

    /// <summary>Issue 16 item 3: the defaults the README's fidelity table states.</summary>
    [Fact]
    public void DefaultsFollowTheFidelityPass()
    {
        var c = new DskdConfig();
        Assert.Equal(DskdSkipSource.Deeper, c.SkipSource);        // never the level being reconstructed
        Assert.Equal(RdLossForm.PerPosition, c.Loss);              // Fig. 1: "each position", both students
        Assert.Equal(DskdFusionForm.Hidden, c.FusionForm);         // the literal form cannot go below 0.5
        using var m = Make();
        var fusion = m.Phases.Single(p => p.Name == DskdMethod.FusionPhase);
        Assert.Equal(c.FusionSteps, fusion.Steps);                 // sized in steps, not epochs
        Assert.Equal(300 / 3, fusion.EpochsFor(3));
    }

    [Fact]
    public void OptionsParseFromTheCommandLineForm()
    {
        var c = (DskdConfig)MethodOptions.Apply(new DskdConfig(), new[]
        {
            "Variant=Manual", "SkipSource=Shallower", "Attention=Channel", "FusionSchedule=Joint",
            "FusionSteps=3", "FusionForm=Literal", "BetaMin=0.3", "TextureFolder=/data/dtd/images",
        });
        Assert.Equal(DskdVariant.Manual, c.Variant);
        Assert.Equal(DskdSkipSource.Shallower, c.SkipSource);
        Assert.Equal(DskdAttention.Channel, c.Attention);
        Assert.Equal(DskdFusionSchedule.Joint, c.FusionSchedule);
        Assert.Equal(3, c.FusionSteps);
        Assert.Equal(DskdFusionForm.Literal, c.FusionForm);
        Assert.Equal(0.3, c.BetaMin);
        Assert.Equal("/data/dtd/images", c.TextureFolder);
    }

    [Fact]
    public void TextureFolderOptionIsWhereTheFusionPhaseTakesTextures()
    {
        using var m = Make("TextureFolder=/nonexistent/dtd");
        using var x = randn(2, 3, 64, 64);
        Assert.Throws<Workbench.Data.DatasetException>(() => m.TrainStep(x, new StepContext(DskdMethod.FusionPhase, 0, 0, 0)));
    }

    [Fact]
    public void ForwardVariantLeavesTheReverseStudentAlone()
    {
        using var m = Make("Variant=Forward");
        var r0 = Snapshot(m.ReverseStudent);
        manual_seed(3);
        using var x = randn(2, 3, 64, 64);
        var losses = m.TrainStep(x, new StepContext(DskdMethod.StudentsPhase, 0, 0, 0));
        Assert.False(losses.ContainsKey("reverse1"));
        Assert.Equal(0, Moved(m.ReverseStudent, r0));
    }

    [Theory]
    [InlineData("Learned")]
    [InlineData("Manual")]
    [InlineData("Forward")]
    [InlineData("Reverse")]
    public void PredictGivesImageSizedMapsAndCheckpointsRoundTrip(string variant)
    {
        using var m = Make($"Variant={variant}", "SkipSource=Shallower");
        manual_seed(5);
        using var x = randn(2, 3, 64, 64);
        m.TrainStep(x, new StepContext(DskdMethod.StudentsPhase, 0, 0, 0));
        if (variant == "Learned") m.TrainStep(x, new StepContext(DskdMethod.FusionPhase, 0, 0, 0));
        using var p = m.Predict(x);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, p.Maps.shape);
        Assert.Equal(new long[] { 2 }, p.Scores.shape);
        if (variant == "Learned") Assert.True(p.Maps.max().item<float>() <= 1f && p.Maps.min().item<float>() >= 0f);

        using var fresh = Make($"Variant={variant}", "SkipSource=Shallower");
        CheckpointCopy.Into(m, fresh);
        using var q = fresh.Predict(x);
        Assert.True(q.Maps.allclose(p.Maps, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ParameterCountsNameEveryPart()
    {
        using var m = Make();
        var c = m.ParameterCounts();
        output.WriteLine(string.Join(", ", c.Select(kv => $"{kv.Key}={kv.Value:N0}")));
        // The forward student has the teacher's architecture (layer1..3, as the teacher here).
        Assert.Equal(c["teacher"], c["forward_student"]);
        Assert.True(c["reverse_skip_attention"] > 0 && c["reverse_bottleneck"] > 0);
        Assert.True(c["reverse_student"] > c["reverse_skip_attention"] + c["reverse_bottleneck"]);
        Assert.Equal(6 * 16 + 16 + 16 + 1, c["fusion"]);
    }

    /// <summary>The counts the paper reports are for WRN-50-2 (forward 68.8 M, reverse 108 M, RD4AD 24.9 M);
    /// printed here for the README (construct only, no training).</summary>
    [Theory]
    [InlineData("Deeper")]
    [InlineData("Target")]
    [InlineData("Shallower")]
    [InlineData("None")]
    public void WideResNetParameterCountsArePrinted(string source)
    {
        TorchRuntime.EnsureLoaded();
        var cfg = new DskdConfig { Teacher = "wide_resnet50_2", TeacherWeights = "random", SkipSource = Enum.Parse<DskdSkipSource>(source) };
        using var m = (DskdMethod)MethodFactory.Create(cfg, CPU, 0);
        var c = m.ParameterCounts();
        output.WriteLine($"wide_resnet50_2 SkipSource={source}: " + string.Join(", ", c.Select(kv => $"{kv.Key}={kv.Value / 1e6:F2}M")));
        Assert.Equal(c["teacher"], c["forward_student"]);
        if (source == "None") Assert.Equal(0, c["reverse_skip_attention"]);
    }
}
