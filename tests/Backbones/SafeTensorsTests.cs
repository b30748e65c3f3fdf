using Workbench.Backbones.Weights;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

public class SafeTensorsTests
{
    public SafeTensorsTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ReadsTheFileWrittenByPython()
    {
        var expected = FixtureFiles.Expected;
        var st = SafeTensors.Load(FixtureFiles.Path("tiny.safetensors"), out var meta);
        Assert.Equal(expected["tiny.safetensors.keys"]!.AsArray().Select(k => k!.GetValue<string>()), st.Keys);
        foreach (var (k, t) in st) FixtureFiles.AssertMatches(k, expected["tiny.safetensors"]![k]!, t);
        Assert.Equal("hand-written fixture", meta["note"]);
    }

    [Fact]
    public void SaveThenLoadGivesTheSameTensorsIncludingNonContiguousInput()
    {
        using var dir = new TempDir();
        var original = new Dictionary<string, Tensor>
        {
            ["a"] = randn(3, 4).t(),   // non-contiguous: saved in logical (row-major) order
            ["h"] = randn(5).to(ScalarType.Float16),
            ["n"] = tensor(new long[] { -3, 1L << 40 }),
            ["b"] = tensor(new[] { true, false }),
            ["s"] = tensor(2.5f),
        };
        SafeTensors.Save(dir.File("x.safetensors"), original, new Dictionary<string, string> { ["k"] = "v" });
        var back = SafeTensors.Load(dir.File("x.safetensors"), out var meta);
        Assert.Equal(original.Keys, back.Keys);
        foreach (var k in original.Keys)
        {
            Assert.Equal(original[k].dtype, back[k].dtype);
            Assert.True(original[k].SameAs(back[k]), k);
        }
        Assert.Equal("v", meta["k"]);
        // header length is a multiple of 8 (format recommendation for aligned reads)
        var bytes = File.ReadAllBytes(dir.File("x.safetensors"));
        Assert.Equal(0UL, BitConverter.ToUInt64(bytes, 0) % 8);
    }

    [Fact]
    public void InconsistentOffsetsAreRejected()
    {
        using var dir = new TempDir();
        var json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        var header = System.Text.Encoding.UTF8.GetBytes(json);
        var f = dir.File("bad.safetensors");
        File.WriteAllBytes(f, BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(new byte[8]).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(f));
        Assert.Contains("'w'", e.Message);
    }
}
