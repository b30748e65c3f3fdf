using Workbench.Data;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

public class BatchLoaderTests
{
    [Fact]
    public void BatchesCarryNormalisedAndRawImagesMasksAndLabels()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        var s = MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass);
        var loader = new BatchLoader(s.Test, 8, new ImageStore(Path.Combine(d.Path, "cache")), CPU);
        loader.Preload(LineProgressSink.Silent);
        var batches = loader.Batches(2, shuffle: false, seed: 0).ToList();
        Assert.Equal(new[] { 2, 2, 1 }, batches.Select(b => b.Count));
        var b0 = batches[0];
        Assert.Equal(new long[] { 2, 3, 8, 8 }, b0.Images.shape);
        Assert.Equal(new long[] { 2, 1, 8, 8 }, b0.Masks.shape);
        Assert.Equal(ScalarType.Int64, b0.Labels.dtype);
        Assert.True(b0.Raw.min().item<float>() >= 0 && b0.Raw.max().item<float>() <= 1);
        using (var renorm = ImageTensors.NormalizeImageNet(b0.Raw)) Assert.True(renorm.allclose(b0.Images, 1e-6, 1e-6));
        var all = batches.SelectMany(b => b.Samples).ToList();
        Assert.Equal(s.Test, all);
        using (var labels = cat(batches.Select(b => b.Labels).ToList(), 0))
            Assert.Equal(s.Test.Select(x => x.IsAnomalous ? 1L : 0L), labels.data<long>().ToArray());
        using (var masks = cat(batches.Select(b => b.Masks).ToList(), 0))
        {
            var perImage = masks.sum(new long[] { 1, 2, 3 }).data<float>().ToArray();
            for (int i = 0; i < s.Test.Count; i++)
                Assert.Equal(s.Test[i].MaskPath == null, perImage[i] == 0);
        }
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void ShuffleIsSeededAndDropLastDrops()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        var s = MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass);
        var loader = new BatchLoader(s.Test, 4, new ImageStore(), CPU);
        List<string> Order(int seed) { var r = new List<string>(); foreach (var b in loader.Batches(2, true, seed)) using (b) r.AddRange(b.Samples.Select(x => x.ImagePath)); return r; }
        Assert.Equal(Order(7), Order(7));
        Assert.Equal(s.Test.Select(x => x.ImagePath).Order(), Order(7).Order());
        Assert.NotEqual(Order(7), Order(8));
        int n = 0;
        foreach (var b in loader.Batches(2, true, 1, dropLast: true)) using (b) { Assert.Equal(2, b.Count); n++; }
        Assert.Equal(2, n);
    }
}
