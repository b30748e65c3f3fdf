using Workbench.Data.Synthesis;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

public class CrossClassTestSetTests
{
    /// <summary>n images of a constant colour value per category (so a mixup's value tells its parts).</summary>
    static CategoryImages Flat(string category, int n, float value, int size = 16)
    {
        TorchRuntime.EnsureLoaded();
        return new CategoryImages(category, full(new long[] { n, 3, size, size }, value), Enumerable.Range(0, n).Select(i => $"{category}/{i:000}.png").ToList());
    }

    [Fact]
    public void MixupHoldsBothNormalsThenDistinctCrossPairsBlendedWithLambda()
    {
        using var a = Flat("a", 4, 0.2f);
        using var b = Flat("b", 3, 0.8f);
        using var set = CrossClassTestSet.Mixup(a, b, seed: 3, lambda: 0.25);
        Assert.Equal(14, set.Count);                                   // 4 + 3 normals, as many mixups by default
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, set.Labels);
        Assert.All(set.Items.Take(7), it => Assert.Equal("normal", it.Kind));
        Assert.All(set.Items.Skip(7), it => { Assert.Equal("mixup", it.Kind); Assert.Equal("a+b", it.Category); Assert.StartsWith("a/", it.Source); Assert.StartsWith("b/", it.Partner); });
        Assert.Equal(7, set.Items.Skip(7).Select(it => (it.Source, it.Partner)).Distinct().Count());
        using var mix = set.Images.narrow(0, 7, 7);
        Assert.True(mix.allclose(full_like(mix, 0.25f * 0.2f + 0.75f * 0.8f), 1e-6, 1e-6));
        Assert.Equal(0f, set.Masks.narrow(0, 0, 7).sum().item<float>());
        Assert.Equal(7f * 16 * 16, set.Masks.narrow(0, 7, 7).sum().item<float>());
    }

    [Fact]
    public void MixupIsDeterministicPerSeedAndRejectsImpossibleCounts()
    {
        using var a = Flat("a", 5, 0.1f);
        using var b = Flat("b", 5, 0.9f);
        using var s1 = CrossClassTestSet.Mixup(a, b, seed: 1, count: 6);
        using var s2 = CrossClassTestSet.Mixup(a, b, seed: 1, count: 6);
        using var s3 = CrossClassTestSet.Mixup(a, b, seed: 2, count: 6);
        Assert.Equal(s1.Items, s2.Items);
        Assert.NotEqual(s1.Items, s3.Items);
        Assert.Throws<ArgumentException>(() => CrossClassTestSet.Mixup(a, b, seed: 1, count: 26));
        Assert.Throws<ArgumentException>(() => CrossClassTestSet.Mixup(a, a, seed: 1));
    }

    [Fact]
    public void CutPastePastesDonorPixelsExactlyInsideTheMaskPerDirection()
    {
        using var a = Flat("a", 3, 0.2f, size: 32);
        using var b = Flat("b", 2, 0.8f, size: 32);
        using var set = CrossClassTestSet.CutPaste(new[] { (a, b), (b, a) }, seed: 7);
        // normals of the targets (b, then a), then b with a-patches, then a with b-patches
        Assert.Equal(10, set.Count);
        Assert.Equal(new[] { "b", "b", "a", "a", "a", "b", "b", "a", "a", "a" }, set.Categories);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, set.Labels);
        Assert.All(set.Items.Skip(5), it => Assert.NotEqual(it.Category, it.Partner![..1]));
        for (int i = 5; i < 10; i++)
        {
            using var m = set.Masks[i].expand(3, 32, 32) > 0;
            using var img = set.Images[i];
            float target = set.Items[i].Category == "a" ? 0.2f : 0.8f, donor = 1.0f - target;
            Assert.True(m.sum().item<long>() > 0);
            Assert.True(img.masked_select(m).allclose(full(1, donor), 1e-6, 1e-6), $"image {i}: inside the mask is not the donor");
            Assert.True(img.masked_select(m.logical_not()).allclose(full(1, target), 1e-6, 1e-6), $"image {i}: outside the mask changed");
        }
        var mask = set.MaskRaster(5);
        Assert.Equal(1, mask.Channels);
        Assert.Equal((long)mask.Pixels.Count(v => v == 1), set.Masks[5].sum().item<float>());
    }

    [Fact]
    public void CutPasteRejectsSameCategoryAndSizeMismatch()
    {
        using var a = Flat("a", 2, 0.2f);
        using var b = Flat("b", 2, 0.8f, size: 24);
        Assert.Throws<ArgumentException>(() => CrossClassTestSet.CutPaste(new[] { (a, a) }, seed: 0));
        Assert.Throws<ArgumentException>(() => CrossClassTestSet.CutPaste(new[] { (a, b) }, seed: 0));
    }
}
