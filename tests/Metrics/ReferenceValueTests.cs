using Workbench.Metrics;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

/// <summary>Every metric against scikit-learn / scikit-image / RD4AD reference values
/// (tests/Fixtures/metrics/make_metric_references.py).</summary>
public class ReferenceValueTests
{
    [Theory]
    [MemberData(nameof(MetricCases.All), MemberType = typeof(MetricCases))]
    public void EvaluateMatchesTheReferences(string name)
    {
        var c = MetricCases.Load(name);
        using var scope = NewDisposeScope();
        var r = Evaluate.Run(c.MapsTensor(), c.MasksTensor(), c.LabelsTensor(), options: new EvaluateOptions(Rd4adPro: true)).Overall;
        var e = c.Expected;
        Assert.Equal(e["image_auroc"], r.ImageAuroc, 1e-6);
        Assert.Equal(e["image_ap"], r.ImageAp, 1e-6);
        Assert.Equal(e["image_f1max"], r.ImageF1Max, 1e-6);
        Assert.Equal(e["pixel_auroc"], r.PixelAuroc, 1e-6);
        Assert.Equal(e["pixel_ap"], r.PixelAp, 1e-6);
        Assert.Equal(e["pixel_f1max"], r.PixelF1Max, 1e-6);
        Assert.Equal(e["aupro"], r.Aupro, 1e-4);
        Assert.NotNull(r.Rd4adPro);
        Assert.Equal(e["rd4ad_pro"], r.Rd4adPro!.Value, 1e-4);
    }

    [Theory]
    [MemberData(nameof(MetricCases.All), MemberType = typeof(MetricCases))]
    public void StandaloneEntryPointsMatchTheReferences(string name)
    {
        var c = MetricCases.Load(name);
        using var scope = NewDisposeScope();
        var maps = c.MapsTensor(); var masks = c.MasksTensor();
        Assert.Equal(c.Expected["pixel_auroc"], BinaryMetrics.Auroc(maps, masks), 1e-6);
        Assert.Equal(c.Expected["pixel_ap"], BinaryMetrics.AveragePrecision(maps, masks), 1e-6);
        Assert.Equal(c.Expected["pixel_f1max"], BinaryMetrics.F1Max(maps, masks), 1e-6);
        Assert.Equal(c.Expected["aupro"], Aupro.Compute(maps, masks), 1e-4);
        Assert.Equal(c.Expected["aupro_fpr_0_1"], Aupro.Compute(maps, masks, 0.1), 1e-4);
        Assert.Equal(c.Expected["rd4ad_pro_single_curve"], Rd4adPro.ComputeSingleCurve(maps, masks), 1e-4);
    }

    [Theory]
    [MemberData(nameof(MetricCases.All), MemberType = typeof(MetricCases))]
    public void TensorPathMatchesTheReferences(string name)
    {
        // The device-generic path (what runs on CUDA), forced on the CPU.
        var c = MetricCases.Load(name);
        using var scope = NewDisposeScope();
        var p = PixelMetrics.Compute(c.MapsTensor(), c.MasksTensor(), path: ScanPath.Tensor);
        Assert.Equal(c.Expected["pixel_auroc"], p.Auroc, 1e-6);
        Assert.Equal(c.Expected["pixel_ap"], p.AveragePrecision, 1e-6);
        Assert.Equal(c.Expected["pixel_f1max"], p.F1Max, 1e-6);
        Assert.Equal(c.Expected["aupro"], p.Aupro, 1e-4);
        var img = BinaryMetrics.FromRanking(ScoreRanking.Create(c.MapsTensor().amax(new long[] { 1, 2 })), c.LabelsTensor().ne(0));
        Assert.Equal(c.Expected["image_auroc"], img.Auroc, 1e-6);
        Assert.Equal(c.Expected["image_ap"], img.AveragePrecision, 1e-6);
        Assert.Equal(c.Expected["image_f1max"], img.F1Max, 1e-6);
    }

    [Theory]
    [InlineData("structured", 7L)]
    [InlineData("heavy_ties", 1000L)]
    [InlineData("many_per_image", 4096L)]
    public void ChunkedScansGiveTheSameValues(string name, long chunk)
    {
        // Ties and curve points straddle chunk borders here; carries must make that invisible.
        var c = MetricCases.Load(name);
        using var scope = NewDisposeScope();
        var p = PixelMetrics.Compute(c.MapsTensor(), c.MasksTensor(), chunk: chunk, path: ScanPath.Tensor);
        Assert.Equal(c.Expected["pixel_auroc"], p.Auroc, 1e-6);
        Assert.Equal(c.Expected["pixel_ap"], p.AveragePrecision, 1e-6);
        Assert.Equal(c.Expected["pixel_f1max"], p.F1Max, 1e-6);
        Assert.Equal(c.Expected["aupro"], p.Aupro, 1e-4);
    }
}
