using TorchSharp;
using Workbench.Backbones;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

public class StridedPointwiseConvTests
{
    [Fact]
    public void EqualsAStridedConv2dForwardAndInputGradient()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(4);
        using var scope = NewDisposeScope();
        var pw = new StridedPointwiseConv(32, 48, 2);
        var x = randn(2, 32, 9, 9, dtype: ScalarType.Float64).requires_grad_(true);
        var w = pw.Weight.detach().to(ScalarType.Float64);
        var expected = nn.functional.conv2d(x, w, strides: new long[] { 2, 2 });
        var x2 = x.detach().clone().requires_grad_(true);
        pw.to(ScalarType.Float64);
        var got = pw.forward(x2);
        Assert.Equal(expected.shape, got.shape);
        Assert.True((expected - got).abs().max().item<double>() < 1e-12);
        expected.square().sum().backward();
        got.square().sum().backward();
        Assert.True((x.grad! - x2.grad!).abs().max().item<double>() < 1e-10);
    }

    [Fact]
    public void BottleneckStudentTrainsThroughTheLayer3Shortcut()
    {
        // The stride-2 1×1 512→1024 shortcut is where oneDNN's kernel raised SIGFPE (process death).
        TorchRuntime.EnsureLoaded();
        manual_seed(5);
        using var net = new ResNet(ResNetSpec.Get("resnet50"), withFc: false, stages: 3);
        using var scope = NewDisposeScope();
        var f = net.Features(randn(2, 3, 64, 64), 3);
        f[2].square().mean().backward();
        Assert.Contains(net.named_parameters(), p => p.name == "layer3.0.downsample.0.weight" && p.parameter.grad is not null);
    }
}
