using System.IO.Compression;
using System.Text.Json;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Fixtures;

/// <summary>One reference case written by Fixtures/metrics/make_metric_references.py.</summary>
public sealed record MetricCase(string Name, int N, int H, int W, float[] Maps, byte[] Masks, byte[] Labels, IReadOnlyDictionary<string, double> Expected)
{
    public Tensor MapsTensor() => tensor(Maps, new long[] { N, H, W });
    public Tensor MasksTensor() => tensor(Masks, new long[] { N, H, W });
    public Tensor LabelsTensor() => tensor(Labels.Select(b => (long)b).ToArray());
}

/// <summary>Loads the committed metric reference cases (inputs as gzip binaries, values in expected.json).</summary>
public static class MetricCases
{
    public static readonly string[] Names =
        { "random", "heavy_ties", "perfect", "inverted", "structured", "touching", "diagonal", "one_per_image", "many_per_image" };

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics");

    public static MetricCase Load(string name)
    {
        TorchRuntime.EnsureLoaded();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        var e = doc.RootElement.GetProperty(name);
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var expected = e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        int n = shape[0], h = shape[1], w = shape[2], px = n * h * w;

        using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir, name + ".bin.gz")), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        var bytes = buffer.ToArray();
        Assert.Equal(px * 4 + px + n, bytes.Length);
        var maps = new float[px];
        Buffer.BlockCopy(bytes, 0, maps, 0, px * 4);
        return new MetricCase(name, n, h, w, maps, bytes[(px * 4)..(px * 5)], bytes[(px * 5)..], expected);
    }
}
