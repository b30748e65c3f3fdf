using Workbench.Distillation;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Distillation;

public class FeatureDistanceTests
{
    [Fact]
    public void IdenticalFeaturesHaveZeroDistanceAndOppositeHaveTwo()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(0);
        using var t = randn(2, 8, 4, 4);
        using var d0 = FeatureDistance.CosinePerPosition(t, t);
        Assert.Equal(new long[] { 2, 1, 4, 4 }, d0.shape);
        Assert.True(d0.abs().max().item<float>() < 1e-6);
        using var neg = -t;
        using var d2 = FeatureDistance.CosinePerPosition(t, neg);
        Assert.True((d2 - 2).abs().max().item<float>() < 1e-5);
        using var f = FeatureDistance.CosineFlattened(t, t);
        Assert.Equal(new long[] { 2 }, f.shape);
        Assert.True(f.abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void StpmNormalizedL2EqualsOneMinusCos()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1);
        using var t = randn(3, 16, 5, 5);
        using var s = randn(3, 16, 5, 5);
        using var a = FeatureDistance.CosinePerPosition(t, s);
        using var b = FeatureDistance.NormalizedL2PerPosition(t, s);
        Assert.True((a - b).abs().max().item<float>() < 1e-5);
        Assert.True(a.min().item<float>() > 0); // random vectors are not aligned
    }
}
