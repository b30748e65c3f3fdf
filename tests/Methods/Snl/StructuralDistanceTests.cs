using Workbench.Distillation;
using Workbench.Methods.Snl;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Snl;

public class StructuralDistanceTests
{
    public StructuralDistanceTests() => TorchRuntime.EnsureLoaded();

    static float Item(Tensor t) => t.item<float>();

    [Fact]
    public void EveryLossIsZeroForIdenticalFeatures()
    {
        manual_seed(1);
        using var scope = NewDisposeScope();
        var t = randn(3, 8, 6, 5);
        var s = t.clone();
        Assert.True(Math.Abs(Item(FeatureDistance.CosinePerPosition(t, s).mean())) < 1e-6);
        Assert.True(Math.Abs(Item(StructuralDistance.Spatial(t, s, SpatialForm.Cosine))) < 1e-6);
        Assert.True(Math.Abs(Item(StructuralDistance.Spatial(t, s, SpatialForm.SoftmaxKl))) < 1e-6);
        foreach (var pen in new[] { AffinityPenalty.Absolute, AffinityPenalty.Squared })
            Assert.True(Math.Abs(Item(StructuralDistance.Intra(t, s, 32, 7, pen))) < 1e-6);
        foreach (var f in new[] { InterFeature.GlobalAverage, InterFeature.Flattened })
            Assert.True(Math.Abs(Item(StructuralDistance.Inter(t, s, f))) < 1e-6);
        // and each one can be non-zero
        var other = randn(3, 8, 6, 5);
        Assert.True(Item(StructuralDistance.Spatial(t, other, SpatialForm.Cosine)) > 0.1);
        Assert.True(Item(StructuralDistance.Spatial(t, other, SpatialForm.SoftmaxKl)) > 0.1);
        Assert.True(Item(StructuralDistance.Intra(t, other, 32, 7, AffinityPenalty.Absolute)) > 0.05);
        Assert.True(Item(StructuralDistance.Inter(t, other, InterFeature.Flattened)) > 0.05);
    }

    [Fact]
    public void HandCheckedValues()
    {
        using var scope = NewDisposeScope();
        // one image, C = 2, two positions: teacher (1,0),(0,1) → A_T = I; student (1,0),(2,0) → A_S = all ones.
        var t = tensor(new float[] { 1, 0, 0, 1 }).reshape(1, 2, 1, 2);
        var s = tensor(new float[] { 1, 2, 0, 0 }).reshape(1, 2, 1, 2);
        Assert.Equal(0.5f, Item(StructuralDistance.Intra(t, s, 32, 1, AffinityPenalty.Absolute)), 5);
        var map = StructuralDistance.IntraMap(t, s, 32, 1, AffinityPenalty.Absolute);
        Assert.Equal(new long[] { 1, 1, 1, 2 }, map.shape);
        Assert.Equal(new[] { 0.5f, 0.5f }, map.flatten().data<float>().ToArray());
        // spatial: channel 0 is (1,0) vs (1,2): cos = 1/√5; channel 1 is (0,1) vs (0,0): cos = 0 (eps)
        float expected = (float)(((1 - 1 / Math.Sqrt(5)) + 1) / 2);
        Assert.Equal(expected, Item(StructuralDistance.Spatial(t, s, SpatialForm.Cosine)), 5);
        // inter: two images whose pooled teacher vectors are orthogonal and student vectors parallel
        var ti = tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2, 1, 1);
        var si = tensor(new float[] { 1, 0, 3, 0 }).reshape(2, 2, 1, 1);
        Assert.Equal(0.5f, Item(StructuralDistance.Inter(ti, si, InterFeature.GlobalAverage)), 5);
    }

    [Fact]
    public void PermutingPositionsChangesIntraAffinityButNotPooledInterAffinity()
    {
        manual_seed(2);
        using var scope = NewDisposeScope();
        var t = randn(4, 16, 5, 5);
        var perm = randperm(25);
        var s = t.flatten(2).index_select(2, perm).reshape(4, 16, 5, 5);
        Assert.True(Item(StructuralDistance.Intra(t, s, 32, 8, AffinityPenalty.Absolute)) > 0.05);
        Assert.True(Math.Abs(Item(StructuralDistance.Inter(t, s, InterFeature.GlobalAverage))) < 1e-5);
        // a permutation shared by all images keeps inner products of flattened features too
        Assert.True(Math.Abs(Item(StructuralDistance.Inter(t, s, InterFeature.Flattened))) < 1e-5);
        // and the per-position channel distance sees it too (a local difference)
        Assert.True(Item(FeatureDistance.CosinePerPosition(t, s).mean()) > 0.1);
    }

    [Fact]
    public void DistancesAreSymmetric()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        var a = randn(3, 8, 4, 6);
        var b = randn(3, 8, 4, 6);
        void Same(Func<Tensor, Tensor, Tensor> f) => Assert.Equal(Item(f(a, b)), Item(f(b, a)), 5);
        Same((x, y) => StructuralDistance.Spatial(x, y, SpatialForm.Cosine));
        Same((x, y) => StructuralDistance.Intra(x, y, 32, 5, AffinityPenalty.Absolute));
        Same((x, y) => StructuralDistance.Intra(x, y, 2, 5, AffinityPenalty.Squared));
        Same((x, y) => StructuralDistance.Inter(x, y, InterFeature.GlobalAverage));
        Same((x, y) => StructuralDistance.Inter(x, y, InterFeature.Flattened));
        var g = StructuralDistance.Gram(a, InterFeature.GlobalAverage);
        Assert.True(g.allclose(g.t()));
        Assert.True(g.diagonal().allclose(ones(3), atol: 1e-5));
    }

    [Fact]
    public void GradientsAreFiniteIncludingZeroAndIdenticalFeatures()
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        var t = randn(2, 8, 6, 6).relu();
        t[TensorIndex.Colon, TensorIndex.Colon, 0, 0] = 0;   // an all-zero position and spatially sparse channels
        var start = (t + 0.1 * randn_like(t)).relu();
        foreach (var init in new[] { start, t.clone() })
        {
            var s = init.detach().requires_grad_(true);
            var loss = FeatureDistance.CosinePerPosition(t, s).mean()
                       + StructuralDistance.Spatial(t, s, SpatialForm.Cosine)
                       + StructuralDistance.Spatial(t, s, SpatialForm.SoftmaxKl)
                       + StructuralDistance.Intra(t, s, 4, 3, AffinityPenalty.Absolute)
                       + StructuralDistance.Intra(t, s, 32, 5, AffinityPenalty.Squared)
                       + StructuralDistance.Inter(t, s, InterFeature.GlobalAverage)
                       + StructuralDistance.Inter(t, s, InterFeature.Flattened);
            loss.backward();
            Assert.True(s.grad!.isfinite().all().item<bool>(), "non-finite gradient");
        }
        var moving = start.detach().requires_grad_(true);
        StructuralDistance.Intra(t, moving, 32, 5, AffinityPenalty.Absolute).backward();
        Assert.True(moving.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(64, 32, 32)]
    [InlineData(64, 8, 8)]
    [InlineData(16, 32, 16)]
    public void IntraAffinityWorksAtTheCappedSize(int size, int cap, int expected)
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        var t = randn(2, 4, size, size);
        var s = randn(2, 4, size, size);
        Assert.Equal(((long)expected, (long)expected), StructuralDistance.IntraSize(size, size, cap));
        var map = StructuralDistance.IntraMap(t, s, cap, 100, AffinityPenalty.Absolute);
        Assert.Equal(new long[] { 2, 1, expected, expected }, map.shape);
    }

    [Fact]
    public void ChunkingDoesNotChangeTheResult()
    {
        manual_seed(6);
        using var scope = NewDisposeScope();
        var t = randn(2, 8, 7, 9);
        var s = randn(2, 8, 7, 9);
        var whole = StructuralDistance.IntraMap(t, s, 32, 63, AffinityPenalty.Squared);
        foreach (var chunk in new[] { 1, 10, 64 })
            Assert.True(whole.allclose(StructuralDistance.IntraMap(t, s, 32, chunk, AffinityPenalty.Squared), atol: 1e-6));
    }
}
