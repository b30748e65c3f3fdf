using Workbench.Backbones;
using Workbench.Backbones.Weights;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

public class StateDictTests
{
    public StateDictTests() => TorchRuntime.EnsureLoaded();

    static Dictionary<string, Tensor> RandomStateFor(nn.Module m, int seed)
    {
        manual_seed(seed);
        return m.state_dict().ToDictionary(kv => kv.Key,
            kv => kv.Value.dtype == ScalarType.Int64 ? full_like(kv.Value, 5) : randn_like(kv.Value));
    }

    [Fact]
    public void StrictLoadCopiesEveryParameterAndBuffer()
    {
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 2);
        var state = RandomStateFor(net, 3);
        var report = StateDict.LoadInto(net, state, "mem", strict: true);
        Assert.Equal(state.Count, report.Loaded.Count);
        Assert.Empty(report.Skipped);
        Assert.Empty(report.Missing);
        foreach (var (k, v) in net.state_dict()) Assert.True(v.SameAs(state[k]), k);
    }

    [Fact]
    public void StrictErrorListsEveryMissingUnexpectedAndMismatchedKeyAndTheFile()
    {
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 1);
        var state = RandomStateFor(net, 4);
        state.Remove("layer1.0.bn1.running_var");
        state.Remove("conv1.weight");
        state["layer9.extra"] = zeros(3);
        state["layer1.1.conv2.weight"] = zeros(64, 64, 1, 1);
        var e = Assert.Throws<InvalidDataException>(() => StateDict.LoadInto(net, state, "/some/where/w.pth", strict: true));
        Assert.Contains("/some/where/w.pth", e.Message);
        Assert.Contains("2 missing from the file", e.Message);
        Assert.Contains("layer1.0.bn1.running_var", e.Message);
        Assert.Contains("conv1.weight", e.Message);
        Assert.Contains("1 unexpected in the file", e.Message);
        Assert.Contains("layer9.extra", e.Message);
        Assert.Contains("layer1.1.conv2.weight: file [64,64,1,1] vs module [64,64,3,3]", e.Message);
    }

    [Fact]
    public void ShapeMismatchFailsEvenWhenNotStrict()
    {
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 1);
        var state = new Dictionary<string, Tensor> { ["bn1.weight"] = ones(3) };
        Assert.Throws<InvalidDataException>(() => StateDict.LoadInto(net, state, "mem", strict: false));
    }

    [Fact]
    public void PrefixLoadTakesOnlyTheTrunkAndListsTheRest()
    {
        using var full = new ResNet(ResNetSpec.Get("resnet18"));
        var state = RandomStateFor(full, 5);
        using var trunk = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 3);
        var report = StateDict.LoadInto(trunk, state, "full.pth", strict: true, new[] { "conv1", "bn1", "layer1", "layer2", "layer3" });
        Assert.Equal(trunk.state_dict().Count, report.Loaded.Count);
        Assert.All(report.Skipped, k => Assert.True(k.StartsWith("layer4.") || k.StartsWith("fc."), k));
        Assert.Equal(state.Keys.Count(k => k.StartsWith("layer4.") || k.StartsWith("fc.")), report.Skipped.Count);
        Assert.Empty(report.Missing);
        Assert.True(trunk.state_dict()["layer3.1.bn2.running_mean"].SameAs(state["layer3.1.bn2.running_mean"]));
    }

    [Fact]
    public void PrefixDoesNotMatchALongerName()
    {
        // "layer1" must not take "layer10.x"
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 1);
        var state = RandomStateFor(net, 6);
        state["layer10.w"] = zeros(1);
        var report = StateDict.LoadInto(net, state, "mem", strict: true, new[] { "conv1", "bn1", "layer1" });
        Assert.Contains("layer10.w", report.Skipped);
    }

    [Fact]
    public void NonStrictReportsAbsentKeysAsMissingAndConvertsDtype()
    {
        using var net = new ResNet(ResNetSpec.Get("resnet18"), withFc: false, stages: 1);
        var w = randn(64, 3, 7, 7).to(ScalarType.Float16);
        var report = StateDict.LoadInto(net, new Dictionary<string, Tensor> { ["conv1.weight"] = w, ["junk"] = zeros(1) }, "mem", strict: false);
        Assert.Equal(new[] { "conv1.weight" }, report.Loaded);
        Assert.Equal(new[] { "junk" }, report.Skipped);
        Assert.Equal(net.state_dict().Count - 1, report.Missing.Count);
        Assert.True(net.state_dict()["conv1.weight"].SameAs(w.to(ScalarType.Float32)));
    }

    [Fact]
    public void TinyPthLoadsStrictlyIntoTheSameModuleBuiltInCSharp()
    {
        // tests/Fixtures/make_torch_fixtures.py: Tiny = conv(3→4, 3×3), bn(4), head = Sequential(Flatten, Linear(16→2))
        var tiny = nn.Sequential(("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)),
                                 ("head", nn.Sequential(nn.Flatten(), nn.Linear(16, 2))));
        var state = TorchPickle.Load(FixtureFiles.Path("tiny_module.pth"));
        var report = StateDict.LoadInto(tiny, state, "tiny_module.pth", strict: true);
        Assert.Equal(state.Count, report.Loaded.Count);
        Assert.Equal(3L, tiny.state_dict()["bn.num_batches_tracked"].item<long>());
    }
}
