using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

/// <summary>The committed outputs of tests/Fixtures/make_torch_fixtures.py.</summary>
static class FixtureFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", name);

    public static JsonObject Expected => JsonNode.Parse(File.ReadAllText(Path("expected.json")))!.AsObject();

    /// <summary>Asserts dtype, shape and every value of a tensor against its expected.json entry.</summary>
    public static void AssertMatches(string key, JsonNode expected, Tensor actual, bool checkLayout = false)
    {
        var e = expected.AsObject();
        var dtype = e["dtype"]!.GetValue<string>();
        Assert.True(DTypeName(actual.dtype) == dtype, $"{key}: dtype {actual.dtype}, expected {dtype}");
        var shape = e["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
        Assert.True(shape.SequenceEqual(actual.shape), $"{key}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", shape)}]");
        if (checkLayout)
        {
            var stride = e["stride"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            Assert.True(stride.SequenceEqual(actual.stride()), $"{key}: stride [{string.Join(",", actual.stride())}], expected [{string.Join(",", stride)}]");
        }
        var values = e["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        using var flat = actual.to(ScalarType.Float64).contiguous().flatten();
        var got = flat.data<double>().ToArray();
        Assert.Equal(values.Length, got.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(values[i] == got[i], $"{key}[{i}]: {got[i]} != {values[i]}");
    }

    static string DTypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Bool => "bool",
        ScalarType.Byte => "uint8",
        _ => t.ToString(),
    };
}

static class TensorCompare
{
    /// <summary>Same shape, dtype and every element equal (TorchSharp's equal() is elementwise).</summary>
    public static bool SameAs(this Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }
}
