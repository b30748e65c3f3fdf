using Workbench.Data.Synthesis;
using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

public class SynthesisTests
{
    static Tensor Images(int b, int size, int seed)
    {
        TorchRuntime.EnsureLoaded();
        var g = new TorchSharp.torch.Generator((ulong)seed);
        return rand(new long[] { b, 3, size, size }, generator: g);
    }

    [Fact]
    public void TextureNoiseChangesOnlyInsideTheMaskWithBetaInRange()
    {
        using var x = Images(6, 32, 1);
        using var r = new TextureNoise().Apply(x, seed: 5);
        Assert.Equal(x.shape, r.Images.shape);
        Assert.Equal(new long[] { 6, 1, 32, 32 }, r.Masks.shape);
        using var outside = (r.Masks == 0).expand_as(x);
        using var diff = (r.Images - x).abs();
        Assert.Equal(0f, diff.masked_select(outside).max().item<float>());
        using var inside = (r.Masks > 0).expand_as(x);
        Assert.True(diff.masked_select(inside).mean().item<float>() > 0.01f);
        for (int i = 0; i < 6; i++) Assert.True(r.Masks[i].sum().item<float>() > 0, $"mask {i} is empty");
        Assert.Equal(6, r.Betas.Count);
        Assert.All(r.Betas, b => Assert.InRange(b, 0.15, 1.0));
        Assert.True(r.Images.min().item<float>() >= 0 && r.Images.max().item<float>() <= 1);
    }

    [Fact]
    public void TextureNoiseFollowsTheBlendFormula()
    {
        // With a constant texture A and input I, inside M: I_a = β·A + (1−β)·I exactly.
        using var x = full(new long[] { 2, 3, 16, 16 }, 0.2f);
        using var r = new TextureNoise(new ConstantTexture(255)).Apply(x, seed: 9);
        for (int i = 0; i < 2; i++)
        {
            float expected = (float)(r.Betas[i] * 1.0 + (1 - r.Betas[i]) * 0.2);
            using var m = (r.Masks[i] > 0).expand_as(r.Images[i]);
            using var vals = r.Images[i].masked_select(m);
            Assert.True((vals - expected).abs().max().item<float>() < 1e-6f);
        }
    }

    [Fact]
    public void SynthesisIsSeeded()
    {
        using var x = Images(3, 24, 2);
        var tn = new TextureNoise();
        using var a = tn.Apply(x, 11);
        using var b = tn.Apply(x, 11);
        using var c = tn.Apply(x, 12);
        Assert.True(a.Images.eq(b.Images).all().item<bool>());
        Assert.False(a.Masks.eq(c.Masks).all().item<bool>());
    }

    [Fact]
    public void BetaRangeIsAnOption()
    {
        using var x = Images(20, 8, 3);
        using var r = new TextureNoise(options: new TextureNoiseOptions(0.4, 0.5)).Apply(x, 1);
        Assert.All(r.Betas, b => Assert.InRange(b, 0.4, 0.5));
    }

    [Fact]
    public void MixupOfIdenticalImagesIsIdentityAndMixesAcrossCategories()
    {
        using var x = Images(1, 16, 4);
        using var two = cat(new[] { x, x }, 0);
        var mix = new CrossClassMixup(0.3);
        using var same = mix.Mix(x, x);
        Assert.True(same.allclose(x, 1e-6, 1e-6));
        using var r = mix.Apply(two, new[] { "a", "b" }, seed: 0);
        Assert.True(r.Images.allclose(two, 1e-6, 1e-6));
        Assert.Equal(2 * 16 * 16, r.Masks.sum().item<float>());

        using var y = Images(2, 16, 5);
        using var r2 = new CrossClassMixup().Apply(y, new[] { "a", "b" }, seed: 0);
        using var expected = 0.5 * y[0] + 0.5 * y[1];
        Assert.True(r2.Images[0].allclose(expected, 1e-6, 1e-6));
        Assert.Throws<ArgumentException>(() => mix.Apply(y, new[] { "a", "a" }, 0));
    }

    [Fact]
    public void CutPastePastesADonorPatchOnlyInsideItsMask()
    {
        using var targets = zeros(4, 3, 20, 20);
        using var donors = ones(4, 3, 20, 20);
        using var r = new CrossClassCutPaste(0.2, 0.4).Apply(targets, donors, seed: 3);
        // targets are 0, donors 1: the image must equal its mask, and each mask be one filled rectangle
        Assert.True(r.Images.eq(r.Masks.expand_as(r.Images)).all().item<bool>());
        for (int i = 0; i < 4; i++)
        {
            var m = r.Masks[i, 0];
            float area = m.sum().item<float>();
            long rows = (m.sum(new long[] { 1 }) > 0).sum().item<long>(), cols = (m.sum(new long[] { 0 }) > 0).sum().item<long>();
            Assert.Equal(rows * cols, (long)area);
            Assert.InRange(rows, 4, 8);
        }
        using var x = Images(4, 20, 6);
        using var r2 = new CrossClassCutPaste().Apply(x, new[] { "a", "a", "b", "b" }, seed: 1);
        using var outside = (r2.Masks == 0).expand_as(x);
        Assert.True(r2.Images.masked_select(outside).eq(x.masked_select(outside)).all().item<bool>());
    }

    [Fact]
    public void PairsShareTheNormalImage()
    {
        using var x = Images(2, 16, 7);
        using var p = new NormalAnomalyPairs().Make(x, seed: 2);
        Assert.True(p.Normal.eq(x).all().item<bool>());
        using var outside = (p.Masks == 0).expand_as(x);
        Assert.True(p.Anomalous.masked_select(outside).eq(x.masked_select(outside)).all().item<bool>());
        Assert.False(p.Anomalous.eq(x).all().item<bool>());
    }

    [SkippableFact]
    public void DtdFolderIsATextureSource()
    {
        var dir = SharedData.RequireDir("data/dtd/images");
        var src = new FolderTextureSource(dir);
        Assert.True(src.Count >= 100);
        var img = src.Sample(new Random(0), 24, 24);
        Assert.Equal((24, 24, 3), (img.Width, img.Height, img.Channels));
    }

    [Fact]
    public void PerlinMasksAreBinaryAndNonEmpty()
    {
        var rng = new Random(0);
        for (int i = 0; i < 20; i++)
        {
            var m = PerlinMask.Generate(16, 16, rng);
            Assert.All(m, v => Assert.True(v is 0 or 1));
            Assert.Contains((byte)1, m);
        }
    }

    sealed class ConstantTexture(byte v) : ITextureSource
    {
        public RasterImage Sample(Random rng, int h, int w) => new(w, h, 3, Enumerable.Repeat(v, h * w * 3).ToArray());
    }
}
