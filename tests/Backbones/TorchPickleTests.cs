using Workbench.Backbones.Weights;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

public class TorchPickleTests
{
    public TorchPickleTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("tiny_module.pth")]
    [InlineData("mixed.pth")]
    public void EveryTensorMatchesPythonValuesInFileOrder(string file)
    {
        var expected = FixtureFiles.Expected;
        var sd = TorchPickle.Load(FixtureFiles.Path(file));
        var keys = expected[file + ".keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToArray();
        Assert.Equal(keys, sd.Keys.ToArray());
        foreach (var (k, t) in sd)
            FixtureFiles.AssertMatches($"{file}:{k}", expected[file]![k]!, t, checkLayout: true);
    }

    [Fact]
    public void NonContiguousViewsKeepStridesAndOffsets()
    {
        var sd = TorchPickle.Load(FixtureFiles.Path("mixed.pth"));
        Assert.False(sd["transposed"].is_contiguous());
        Assert.Equal(new long[] { 1, 6 }, sd["transposed"].stride());
        Assert.Equal(8, sd["slice"].storage_offset());
        // base[1:, 2:5] of base = arange(24).reshape(4,6)/8-1: first element is base[1,2] = 8/8-1 = 0
        Assert.Equal(0f, sd["slice"][0, 0].item<float>());
        Assert.Equal(0.25f, sd["slice"][0, 2].item<float>()); // base[1,4] = 10/8 - 1
    }

    [Fact]
    public void TensorsSavedFromOneStorageShareItAfterLoading()
    {
        var sd = TorchPickle.Load(FixtureFiles.Path("mixed.pth"));
        var a = sd["shared_a"];
        var b = sd["shared_b"];
        // shared_a = s[:6], shared_b = s[4:].view(2,3): writing a[4] must show up in b[0,0].
        a[4] = tensor(123f);
        Assert.Equal(123f, b[0, 0].item<float>());
        // and transposed/slice share the base storage too
        sd["transposed"][2, 1] = tensor(-7f);   // base[1,2]
        Assert.Equal(-7f, sd["slice"][0, 0].item<float>());
    }

    [Fact]
    public void CheckpointWrappingAStateDictIsUnwrapped()
    {
        var direct = TorchPickle.Load(FixtureFiles.Path("tiny_module.pth"));
        var wrapped = TorchPickle.Load(FixtureFiles.Path("wrapped.pth"));
        Assert.Equal(direct.Keys, wrapped.Keys);
        foreach (var k in direct.Keys) Assert.True(direct[k].SameAs(wrapped[k]), k);
    }

    [Fact]
    public void Protocol4CheckpointObjectsComeBackAsPythonHadThem()
    {
        var obj = Assert.IsType<PickleDict>(TorchPickle.LoadObject(FixtureFiles.Path("protocol4.pth")));
        var d = obj.Items.ToDictionary(kv => (string)kv.Key!, kv => kv.Value);
        Assert.Equal(3L, d["epoch"]);
        Assert.Equal(0.125, d["lr"]);
        Assert.Equal(1L << 40, d["big"]);
        Assert.Equal(-5L, d["neg"]);
        Assert.Equal(-(1L << 50), d["huge_neg"]);
        Assert.Null(d["none"]);
        Assert.Equal(true, d["flag"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<List<object?>>(d["names"]));
        var nested = Assert.IsType<PickleDict>(d["nested"]);
        Assert.Equal(new object?[] { 1L, 2.5 }, Assert.IsType<object?[]>(nested.Items.Single().Value));
        Assert.Equal(new float[] { 0, 1, 2, 3 }, ((Tensor)d["w"]!).data<float>().ToArray());
        // not a state_dict (non-tensor values, no wrapper key): Load says so
        var e = Assert.Throws<InvalidDataException>(() => TorchPickle.Load(FixtureFiles.Path("protocol4.pth")));
        Assert.Contains("not a state_dict", e.Message);
    }

    [Fact]
    public void NonZipFileIsRejectedWithItsName()
    {
        using var dir = new TempDir();
        var f = dir.File("legacy.pth");
        File.WriteAllBytes(f, new byte[] { 0x80, 0x02, 0x8a, 0x0a });
        var e = Assert.Throws<InvalidDataException>(() => TorchPickle.Load(f));
        Assert.Contains("legacy.pth", e.Message);
    }
}
