using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Imaging;

public class StoreAndWriteTests
{
    [Fact]
    public void PngWriteRoundTrips()
    {
        using var d = new TempDir();
        var img = new RasterImage(3, 2, 3, Enumerable.Range(0, 18).Select(i => (byte)(i * 13)).ToArray());
        var p = d.File("sub/out.png");
        PngWriter.Write(p, img);
        Assert.Equal(img.Pixels, ImageDecoder.DecodeRgb(p).Pixels);
        Assert.False(File.Exists(p + ".tmp"));
    }

    [Fact]
    public void StoreCachesOnDiskAndReloadsIdentically()
    {
        using var d = new TempDir();
        var rng = new Random(5);
        var samples = Enumerable.Range(0, 40 * 30 * 3).Select(_ => (ushort)rng.Next(256)).ToArray();
        var src = d.File("img.png");
        File.WriteAllBytes(src, PngEncoder.Encode(40, 30, 2, 8, samples));
        var cache = Path.Combine(d.Path, "cache");
        var req = new ImageRequest(src, 16, 16, IsMask: false);
        var first = new ImageStore(cache).Load(req);
        Assert.Single(Directory.GetFiles(cache));
        var second = new ImageStore(cache).Load(req); // new store: served from disk
        Assert.Equal(first.Pixels, second.Pixels);
        Assert.Equal(Resize.Bilinear(ImageDecoder.DecodeRgb(src), 16, 16).Pixels, second.Pixels);
    }

    [Fact]
    public void LoadManyKeepsOrderAndReportsEachItem()
    {
        using var d = new TempDir();
        var reqs = new List<ImageRequest>();
        for (int i = 0; i < 12; i++)
        {
            var p = d.File($"{i}.png");
            File.WriteAllBytes(p, PngEncoder.Encode(8, 8, 0, 8, Enumerable.Repeat((ushort)(i * 20), 64).ToArray()));
            reqs.Add(new ImageRequest(p, 4, 4, IsMask: false));
        }
        int done = 0;
        var imgs = new ImageStore().LoadMany(reqs, () => Interlocked.Increment(ref done));
        Assert.Equal(12, done);
        for (int i = 0; i < 12; i++) Assert.All(imgs[i].Pixels, v => Assert.Equal(i * 20, v));
    }

    [Fact]
    public void TensorConversionAndNormalisation()
    {
        TorchRuntime.EnsureLoaded();
        var img = new RasterImage(1, 1, 3, new byte[] { 255, 0, 51 });
        using var t = ImageTensors.ToTensor(img);
        Assert.Equal(new long[] { 3, 1, 1 }, t.shape);
        Assert.Equal(new float[] { 1f, 0f, 0.2f }, t.data<float>().ToArray());
        using var n = ImageTensors.NormalizeImageNet(t);
        var v = n.data<float>().ToArray();
        Assert.Equal((1f - 0.485f) / 0.229f, v[0], 5);
        Assert.Equal((0f - 0.456f) / 0.224f, v[1], 5);
        using var back = ImageTensors.DenormalizeImageNet(n);
        Assert.Equal(img.Pixels, ImageTensors.ToRaster(back).Pixels);
        var mask = new RasterImage(2, 1, 1, new byte[] { 0, 1 });
        using var m = ImageTensors.ToTensor(mask);
        Assert.Equal(new long[] { 1, 1, 2 }, m.shape);
        Assert.Equal(new float[] { 0, 1 }, m.data<float>().ToArray());
    }

    [Fact]
    public void HeatmapEndsAreBlueAndRedAndOverlayBlends()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)128), Heatmap.Jet(0f));
        Assert.Equal(((byte)128, (byte)0, (byte)0), Heatmap.Jet(1f));
        var heat = Heatmap.Colorize(new float[] { 0f, 10f }, 1, 2, 0f, 10f);
        var img = new RasterImage(2, 1, 3, new byte[] { 100, 100, 100, 100, 100, 100 });
        var o = Heatmap.Overlay(img, heat, 0.5f);
        Assert.Equal(new byte[] { 50, 50, 114, 114, 50, 50 }, o.Pixels);
    }
}
