using Workbench.Backbones;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

/// <summary>Every parameter and buffer name and shape equals the torchvision-structured Python
/// definition (tests/Fixtures/torch/arch_*.txt), in order, so torchvision state_dicts map one to one.</summary>
public class ArchitectureParityTests
{
    public ArchitectureParityTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    [InlineData("wide_resnet50_2")]
    public void StateDictNamesAndShapesMatchTorchvision(string name)
    {
        var expected = File.ReadAllLines(FixtureFiles.Path($"arch_{name}.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')).Select(p => $"{p[0]} [{p[1]}]").ToArray();
        using var net = new ResNet(ResNetSpec.Get(name));
        var actual = net.state_dict().Select(kv => $"{kv.Key} [{string.Join(",", kv.Value.shape)}]").ToArray();
        var missing = expected.Except(actual).ToArray();
        var extra = actual.Except(expected).ToArray();
        Assert.True(missing.Length == 0 && extra.Length == 0,
            $"{name}: missing {string.Join("; ", missing.Take(10))} | extra {string.Join("; ", extra.Take(10))}");
        // Order: TorchSharp lists all parameters, then all buffers (PyTorch interleaves them per
        // module); within each group the order is torchvision's.
        var parameters = net.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Equal(expected.Where(e => parameters.Contains(e.Split(' ')[0])), actual.Where(a => parameters.Contains(a.Split(' ')[0])));
        Assert.Equal(expected.Where(e => !parameters.Contains(e.Split(' ')[0])), actual.Where(a => !parameters.Contains(a.Split(' ')[0])));
    }

    [Fact]
    public void WithoutFcAndFewerStagesDropsExactlyThoseKeys()
    {
        using var full = new ResNet(ResNetSpec.Get("resnet18"));
        using var trunk = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 3);
        var expected = full.state_dict().Keys.Where(k => !k.StartsWith("layer4.") && !k.StartsWith("fc.")).ToArray();
        Assert.Equal(expected, trunk.state_dict().Keys.ToArray());
    }

    [Theory]
    [InlineData("resnet18", 64, 128, 256)]
    [InlineData("resnet50", 256, 512, 1024)]
    public void FeaturesHaveStageChannelsAndStrides(string name, long c1, long c2, long c3)
    {
        using var net = new ResNet(ResNetSpec.Get(name), withFc: false, stages: 3);
        net.eval();
        using var x = randn(1, 3, 64, 64);
        var f = net.Features(x, 3);
        Assert.Equal(new long[] { 1, c1, 16, 16 }, f[0].shape);
        Assert.Equal(new long[] { 1, c2, 8, 8 }, f[1].shape);
        Assert.Equal(new long[] { 1, c3, 4, 4 }, f[2].shape);
        Assert.Equal(new[] { c1, c2, c3, c3 * 2 }, ResNetSpec.Get(name).StageChannels);
        foreach (var t in f) t.Dispose();
    }

    [Fact]
    public void ConvInitIsKaimingFanOutAndBnIsOneZero()
    {
        manual_seed(1);
        using var net = new ResNet(ResNetSpec.Get("resnet18"));
        var sd = net.state_dict();
        // kaiming normal, fan_out, relu: std = sqrt(2 / (out·k·k)); layer3.0.conv2: 256·9
        double std = sd["layer3.0.conv2.weight"].std().item<float>();
        Assert.InRange(std, 0.9 * Math.Sqrt(2.0 / (256 * 9)), 1.1 * Math.Sqrt(2.0 / (256 * 9)));
        Assert.True(sd["layer2.1.bn2.weight"].eq(1).all().item<bool>());
        Assert.True(sd["layer2.1.bn2.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void ResNetTrainsNormallyAsAStudent()
    {
        manual_seed(2);
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 2);
        net.train();
        using var x = randn(2, 3, 64, 64);
        var before = net.state_dict()["bn1.running_mean"].clone();
        var f = net.Features(x, 2);
        f[1].mean().backward();
        Assert.NotNull(net.named_parameters().First(p => p.name == "conv1.weight").parameter.grad);
        Assert.False(before.SameAs(net.state_dict()["bn1.running_mean"]));
    }
}
