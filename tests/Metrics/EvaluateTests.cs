using Workbench.Metrics;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

public class EvaluateTests
{
    [Fact]
    public void CategoriesAreEvaluatedSeparatelyAndAveraged()
    {
        var a = MetricCases.Load("structured");
        var b = MetricCases.Load("many_per_image");
        using var scope = NewDisposeScope();
        var maps = cat(new[] { a.MapsTensor(), b.MapsTensor() });
        var masks = cat(new[] { a.MasksTensor(), b.MasksTensor() });
        var labels = cat(new[] { a.LabelsTensor(), b.LabelsTensor() });
        var cats = Enumerable.Repeat("a", a.N).Concat(Enumerable.Repeat("b", b.N)).ToList();

        var r = Evaluate.Run(maps, masks, labels, categories: cats);
        Assert.Equal(2, r.PerCategory.Count);
        Assert.Equal(a.Expected["pixel_auroc"], r.PerCategory["a"].PixelAuroc, 1e-6);
        Assert.Equal(b.Expected["aupro"], r.PerCategory["b"].Aupro, 1e-4);
        Assert.Equal((a.Expected["aupro"] + b.Expected["aupro"]) / 2, r.Mean.Aupro, 1e-4);
        Assert.Equal((a.Expected["image_ap"] + b.Expected["image_ap"]) / 2, r.Mean.ImageAp, 1e-6);
        Assert.Null(r.Mean.Rd4adPro);
        // Overall pools the pixels: neither category's value nor the mean.
        Assert.Equal(BinaryMetrics.Auroc(maps, masks), r.Overall.PixelAuroc, 1e-12);
        Assert.NotEqual(r.Mean.PixelAuroc, r.Overall.PixelAuroc, 1e-6);
    }

    [Fact]
    public void ChannelDimensionAndExplicitImageScoresAreAccepted()
    {
        var c = MetricCases.Load("one_per_image");
        using var scope = NewDisposeScope();
        var labels = c.LabelsTensor();
        var r = Evaluate.Run(c.MapsTensor().unsqueeze(1), c.MasksTensor().unsqueeze(1), labels);
        Assert.Equal(c.Expected["pixel_ap"], r.Overall.PixelAp, 1e-6);
        Assert.Same(r.Mean, r.Overall);

        // Image scores equal to the labels: a perfect detector, whatever the maps say.
        var perfect = Evaluate.Run(c.MapsTensor(), c.MasksTensor(), labels, imageScores: labels.to(ScalarType.Float32));
        Assert.Equal(1.0, perfect.Overall.ImageAuroc, 12);
        Assert.NotEqual(1.0, r.Overall.ImageAuroc, 6);
    }

    [Fact]
    public void NoMasksGiveNaNPixelMetrics()
    {
        var c = MetricCases.Load("random");
        using var scope = NewDisposeScope();
        var r = Evaluate.Run(c.MapsTensor(), null, c.LabelsTensor()).Overall;
        Assert.Equal(c.Expected["image_auroc"], r.ImageAuroc, 1e-6);
        Assert.True(double.IsNaN(r.PixelAuroc) && double.IsNaN(r.PixelAp) && double.IsNaN(r.PixelF1Max) && double.IsNaN(r.Aupro));
    }

    [Fact]
    public void AuproCanBeSwitchedOff()
    {
        var c = MetricCases.Load("random");
        using var scope = NewDisposeScope();
        var r = Evaluate.Run(c.MapsTensor(), c.MasksTensor(), c.LabelsTensor(), options: new EvaluateOptions(Aupro: false)).Overall;
        Assert.True(double.IsNaN(r.Aupro));
        Assert.Equal(c.Expected["pixel_auroc"], r.PixelAuroc, 1e-6);
    }

    [Fact]
    public void DegenerateInputsFailClearly()
    {
        var c = MetricCases.Load("random");
        using var scope = NewDisposeScope();
        var maps = c.MapsTensor(); var masks = c.MasksTensor(); var labels = c.LabelsTensor();

        var empty = zeros_like(masks);
        Assert.Matches("no anomalous region|one class", Assert.Throws<ArgumentException>(() => Evaluate.Run(maps, empty, labels)).Message);
        Assert.Contains("one class", Assert.Throws<ArgumentException>(() => Evaluate.Run(maps, empty, labels, options: new EvaluateOptions(Aupro: false))).Message);
        Assert.Contains("no anomalous region", Assert.Throws<ArgumentException>(() => Aupro.Compute(maps, empty)).Message);

        var nan = maps.clone(); nan[0, 0, 0] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Evaluate.Run(nan, masks, labels)).Message);

        var cats = Enumerable.Range(0, c.N).Select(i => c.Labels[i] == 0 ? "good-only" : "bad-only").ToList();
        var e = Assert.Throws<ArgumentException>(() => Evaluate.Run(maps, masks, labels, categories: cats));
        Assert.Contains("category", e.Message);

        Assert.Throws<ArgumentException>(() => Evaluate.Run(maps, masks * 2, labels));
        Assert.Throws<ArgumentException>(() => Aupro.Compute(maps, masks, 0));
    }
}
