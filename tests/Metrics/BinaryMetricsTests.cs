using Workbench.Metrics;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

/// <summary>Small cases worked by hand (and checked with sklearn).</summary>
public class BinaryMetricsTests
{
    public BinaryMetricsTests() => TorchRuntime.EnsureLoaded();

    static Tensor S(params float[] v) => tensor(v);
    static Tensor L(params long[] v) => tensor(v);

    [Fact]
    public void SklearnDocExample()
    {
        // sklearn docs: y=[0,0,1,1], s=[0.1,0.4,0.35,0.8] → AUROC 0.75, AP 0.8333…
        // F1: thresholds 0.8 (TP1 FP0 → 2/3), 0.4 (TP1 FP1 → 0.5), 0.35 (TP2 FP1 → 0.8) → 0.8.
        using var s = S(0.1f, 0.4f, 0.35f, 0.8f); using var y = L(0, 0, 1, 1);
        Assert.Equal(0.75, BinaryMetrics.Auroc(s, y), 12);
        Assert.Equal(5.0 / 6.0, BinaryMetrics.AveragePrecision(s, y), 12);
        Assert.Equal(0.8, BinaryMetrics.F1Max(s, y), 12);
    }

    [Fact]
    public void TiesAreOneThresholdNotAnOrder()
    {
        // All scores tied: one curve point (1,1); AUROC 0.5, AP = precision at full recall.
        using var s = S(0.3f, 0.3f, 0.3f, 0.3f); using var y = L(1, 0, 0, 1);
        Assert.Equal(0.5, BinaryMetrics.Auroc(s, y), 12);
        Assert.Equal(0.5, BinaryMetrics.AveragePrecision(s, y), 12);
        Assert.Equal(2.0 / 3.0, BinaryMetrics.F1Max(s, y), 12);
    }

    [Fact]
    public void PartialTieIsTraversedAsOneStep()
    {
        // s=[0.9 (1), 0.5 (0), 0.5 (1), 0.1 (0)]: points (0,½), (½,1), (1,1) → AUROC ½·(½+1)/2 + ½·1 = 0.875 (sklearn agrees).
        // AP: ½·1 + ½·(2/3) = 5/6.
        using var s = S(0.9f, 0.5f, 0.5f, 0.1f); using var y = L(1, 0, 1, 0);
        Assert.Equal(0.875, BinaryMetrics.Auroc(s, y), 12);
        Assert.Equal(5.0 / 6.0, BinaryMetrics.AveragePrecision(s, y), 12);
    }

    [Fact]
    public void BoolLabelsAndAnyShapeWork()
    {
        using var s = S(0.1f, 0.4f, 0.35f, 0.8f).reshape(2, 2);
        using var y = tensor(new[] { false, false, true, true }).reshape(2, 2);
        Assert.Equal(0.75, BinaryMetrics.Auroc(s, y), 12);
    }

    [Fact]
    public void OneClassOnlyThrows()
    {
        using var s = S(0.1f, 0.2f); using var y = L(0, 0);
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc(s, y));
        Assert.Contains("one class", e.Message);
        using var y1 = L(1, 1);
        Assert.Throws<ArgumentException>(() => BinaryMetrics.AveragePrecision(s, y1));
    }

    [Fact]
    public void NaNScoresThrow()
    {
        using var s = S(0.1f, float.NaN); using var y = L(0, 1);
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc(s, y));
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void NonBinaryLabelsThrow()
    {
        using var s = S(0.1f, 0.2f); using var y = L(0, 2);
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc(s, y));
    }
}
