using TorchSharp;
using Workbench.Backbones;
using Workbench.Methods.Dskd;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Dskd;

/// <summary>DSKD's pieces: reverse decoder shapes and skip path, fusion range and gradients, Dice loss.</summary>
public class DskdModuleTests
{
    static DskdConfig Cfg(DskdSkipSource source, DskdAttention att = DskdAttention.ChannelSpatial) =>
        new() { SkipSource = source, Attention = att };

    [Theory]
    [InlineData("resnet18", 64, DskdSkipSource.Deeper)]
    [InlineData("resnet50", 64, DskdSkipSource.Deeper)]
    [InlineData("resnet18", 64, DskdSkipSource.Target)]
    [InlineData("resnet18", 64, DskdSkipSource.Shallower)]
    [InlineData("resnet18", 128, DskdSkipSource.None)]
    [InlineData("resnet18", 32, DskdSkipSource.Target)]
    [InlineData("resnet50", 64, DskdSkipSource.Target)]
    public void ReverseStudentLevelsMatchTeacherLevels(string arch, int size, DskdSkipSource source)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(0);
        using var teacher = Teacher.Create(arch, "random", 0, CPU);
        using var student = new ReverseStudent(ResNetSpec.Get(arch), Cfg(source));
        student.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = randn(2, 3, size, size);
        var e = teacher.Forward(x);
        var stem = TeacherStem.Forward(teacher, x);
        Assert.Equal(new long[] { 2, 64, size / 2, size / 2 }, stem.shape);
        var s = student.forward(new[] { stem }.Concat(e).ToArray());
        Assert.Equal(3, s.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new long[] { 2, teacher.Channels[i], size / (4 << i), size / (4 << i) }, e[i].shape);
            Assert.Equal(e[i].shape, s[i].shape);
        }
    }

    /// <summary>Zeroing the teacher feature the skip of level t reads changes the decoder output at t
    /// (and below), not above; with SkipSource None it changes nothing.</summary>
    [Theory]
    [InlineData(DskdSkipSource.Deeper, DskdAttention.ChannelSpatial)]
    [InlineData(DskdSkipSource.Target, DskdAttention.ChannelSpatial)]
    [InlineData(DskdSkipSource.Target, DskdAttention.None)]
    [InlineData(DskdSkipSource.Shallower, DskdAttention.Channel)]
    [InlineData(DskdSkipSource.None, DskdAttention.ChannelSpatial)]
    public void SkipPathReadsTheTeacherFeature(DskdSkipSource source, DskdAttention att)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1);
        var spec = ResNetSpec.Get("resnet18");
        using var decoder = new SkipReverseDecoder(spec, source, att, 16);
        decoder.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (bottleneck, feats) = RandomInputs64();
        var baseline = decoder.forward(bottleneck, feats);
        for (int zeroed = 0; zeroed <= 3; zeroed++)
        {
            var edited = feats.Select((f, i) => i == zeroed ? zeros_like(f) : f).ToArray();
            var outs = decoder.forward(bottleneck, edited);
            // The level whose skip reads feats[zeroed]: Target reads E^t at level t, Shallower E^(t−1) at level t,
            // Deeper E^(t+1) at level t.
            int readBy = source switch { DskdSkipSource.Target => zeroed, DskdSkipSource.Deeper => zeroed - 1, _ => zeroed + 1 };
            for (int level = 1; level <= 3; level++)
            {
                bool changed = !outs[level - 1].allclose(baseline[level - 1], rtol: 0, atol: 1e-6);
                bool expected = source != DskdSkipSource.None && readBy >= 1 && readBy <= 3 && level <= readBy;
                Assert.True(expected == changed, $"{source}: zeroing input {zeroed} {(changed ? "changed" : "did not change")} level {level}");
            }
        }
    }

    /// <summary>A ResNet-18 decoder's inputs at 64 px: the bottleneck embedding and [stem, E1, E2, E3].</summary>
    static (Tensor Bottleneck, Tensor[] Features) RandomInputs64() =>
        (randn(2, 512, 2, 2), new[] { randn(2, 64, 32, 32), randn(2, 64, 16, 16), randn(2, 128, 8, 8), randn(2, 256, 4, 4) });

    /// <summary>Issue 16 item 3: by default no reverse level sees the teacher feature it must reconstruct.</summary>
    [Fact]
    public void DefaultSkipNeverReadsTheTargetLevel()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(3);
        using var decoder = new SkipReverseDecoder(ResNetSpec.Get("resnet18"), new DskdConfig().SkipSource, DskdAttention.ChannelSpatial, 16);
        decoder.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (bottleneck, feats) = RandomInputs64();
        var baseline = decoder.forward(bottleneck, feats);
        for (int t = 1; t <= 3; t++)
        {
            var edited = feats.Select((f, i) => i == t ? randn_like(f) * 10 : f).ToArray();
            Assert.True(decoder.forward(bottleneck, edited)[t - 1].allclose(baseline[t - 1], rtol: 0, atol: 1e-6),
                        $"level {t} changed when only E{t} changed: the skip leaks the target");
        }
    }

    [Theory]
    [InlineData(DskdFusionForm.Hidden, 129L)]
    [InlineData(DskdFusionForm.Literal, 7L)]
    [InlineData(DskdFusionForm.Linear, 7L)]
    public void FusionOutputIsInZeroOne(DskdFusionForm form, long parameters)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(2);
        using var net = new FusionNet(form, 16);
        using var scope = NewDisposeScope();
        var maps = randn(3, 6, 16, 16) * 100;
        var y = net.forward(maps);
        Assert.Equal(new long[] { 3, 1, 16, 16 }, y.shape);
        Assert.True(y.min().item<float>() >= 0f && y.max().item<float>() <= 1f);
        Assert.Equal(parameters, net.parameters().Sum(p => p.numel()));   // Literal/Linear: six weights + bias
        // The paper's literal form (ReLU before sigmoid) cannot go below 0.5; without the ReLU it can.
        if (form == DskdFusionForm.Literal) Assert.True(y.min().item<float>() >= 0.5f);
        if (form == DskdFusionForm.Linear) Assert.True(y.min().item<float>() < 0.5f);
    }

    [Fact]
    public void DiceIsZeroForPerfectAndOneForDisjoint()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var g = zeros(2, 1, 8, 8);
        g[.., .., 2..5, 3..6] = 1;
        Assert.True(Math.Abs(DiceLoss.Compute(g.clone(), g).item<float>()) < 1e-5);
        Assert.Equal(1.0, DiceLoss.Compute(1 - g, g).item<float>(), 6);
        var half = DiceLoss.Compute(g * 0.5, g).item<float>(); // 1 − 2·0.5n/(0.25n + n) = 0.2
        Assert.Equal(0.2, half, 4);
    }

    static double MaxRelError(Tensor a, Tensor reference) =>
        ((a.to(ScalarType.Float64) - reference).abs().max() / reference.abs().max()).item<double>();

    /// <summary>The 16→1 heads are channel matmuls because oneDNN's conv backward-data is wrong for
    /// 1 output channel; the gradients through them must match a float64 reference.</summary>
    [Fact]
    public void FusionGradientsMatchFloat64()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(3);
        using var net = new FusionNet(DskdFusionForm.Hidden, 16);
        using var net64 = new FusionNet(DskdFusionForm.Hidden, 16);
        net64.load_state_dict(net.state_dict());
        net64.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var maps = rand(2, 6, 12, 12);
        var mask = (rand(2, 1, 12, 12) > 0.7).to(ScalarType.Float32);
        DiceLoss.Compute(net.forward(maps), mask).backward();
        DiceLoss.Compute(net64.forward(maps.to(ScalarType.Float64)), mask.to(ScalarType.Float64)).backward();
        foreach (var (p, p64) in net.parameters().Zip(net64.parameters()))
            Assert.True(MaxRelError(p.grad!, p64.grad!) < 1e-4);
    }

    [Fact]
    public void SkipGateInputGradientMatchesFloat64()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(4);
        using var gate = new SkipGate(48, 32, DskdAttention.ChannelSpatial, 16);
        using var gate64 = new SkipGate(48, 32, DskdAttention.ChannelSpatial, 16);
        gate64.load_state_dict(gate.state_dict());
        gate64.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var d = randn(2, 48, 8, 8).requires_grad_(true);
        var s = randn(2, 32, 8, 8).requires_grad_(true);
        var target = randn(2, 32, 8, 8);
        nn.functional.mse_loss(gate.forward(d, s), target).backward();
        var d64 = d.detach().to(ScalarType.Float64).requires_grad_(true);
        var s64 = s.detach().to(ScalarType.Float64).requires_grad_(true);
        nn.functional.mse_loss(gate64.forward(d64, s64), target.to(ScalarType.Float64)).backward();
        Assert.True(MaxRelError(d.grad!, d64.grad!) < 1e-4);
        Assert.True(MaxRelError(s.grad!, s64.grad!) < 1e-4);
    }
}
