using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// The evaluation every method reports: image AUROC/AP/F1-max, pixel AUROC/AP/F1-max, AUPRO (and
/// optionally RD4AD's PRO), per category, pooled, and averaged over categories. Device-agnostic:
/// runs where the maps are.
/// </summary>
public static class Evaluate
{
    /// <param name="maps">[N,H,W] or [N,1,H,W] float anomaly maps.</param>
    /// <param name="masks">same spatial shape, 0/1 or bool; null when the split has no pixel labels (pixel metrics and AUPRO are then NaN).</param>
    /// <param name="labels">[N] 0/1 int64 or bool (1 = anomalous).</param>
    /// <param name="imageScores">[N]; null: the maximum of each map.</param>
    /// <param name="categories">length N; null: one pooled set (Mean = Overall, PerCategory empty).</param>
    /// <exception cref="ArgumentException">bad shapes, NaN scores, non-binary labels, or a set with one class only (the message names the category).</exception>
    public static EvaluationResult Run(Tensor maps, Tensor? masks, Tensor labels, Tensor? imageScores = null,
        IReadOnlyList<string>? categories = null, EvaluateOptions? options = null)
    {
        options ??= new EvaluateOptions();
        using var scope = NewDisposeScope();
        var m = MetricInputs.AsMaps(maps, "maps");
        long n = m.shape[0];
        var g = masks is null ? null : MetricInputs.AsMaps(masks, "masks");
        if (g is not null && !g.shape.SequenceEqual(m.shape))
            throw new ArgumentException($"maps [{string.Join(",", m.shape)}] and masks [{string.Join(",", g.shape)}] differ in shape");
        if (labels.numel() != n) throw new ArgumentException($"labels: {labels.numel()} for {n} maps");
        var y = MetricInputs.AsBinary(labels.reshape(-1).to(m.device), "labels");
        var s = imageScores is null ? m.amax(new long[] { 1, 2 }) : imageScores.reshape(-1).to(m.device);
        if (s.numel() != n) throw new ArgumentException($"imageScores: {s.numel()} for {n} maps");
        if (categories is not null && categories.Count != n) throw new ArgumentException($"categories: {categories.Count} for {n} maps");

        var overall = Guarded("all images", () => One(m, g, y, s, options));
        var perCategory = new Dictionary<string, MetricSet>();
        if (categories is null) return new EvaluationResult(overall, overall, perCategory);

        foreach (var name in categories.Distinct())
        {
            using var inner = NewDisposeScope();
            var rows = tensor(Enumerable.Range(0, (int)n).Where(i => categories[i] == name).Select(i => (long)i).ToArray(), device: m.device);
            perCategory[name] = Guarded($"category '{name}'", () =>
                One(m.index_select(0, rows), g?.index_select(0, rows), y.index_select(0, rows), s.index_select(0, rows), options));
        }
        return new EvaluationResult(MeanOf(perCategory.Values.ToList()), overall, perCategory);
    }

    static MetricSet One(Tensor maps, Tensor? masks, Tensor labels, Tensor scores, EvaluateOptions o)
    {
        var image = BinaryMetrics.All(scores, labels);
        var pixel = masks is not null && o.PixelMetrics
            ? PixelMetrics.Compute(maps, masks, o.Aupro, o.AuproFprLimit)
            : new PixelScores(double.NaN, double.NaN, double.NaN, double.NaN);
        double? rd4ad = o.Rd4adPro ? (masks is null ? double.NaN : Rd4adPro.Compute(maps, masks)) : null;
        return new MetricSet(image.Auroc, image.AveragePrecision, image.F1Max,
            pixel.Auroc, pixel.AveragePrecision, pixel.F1Max, pixel.Aupro, rd4ad);
    }

    static MetricSet MeanOf(IReadOnlyList<MetricSet> sets)
    {
        double Avg(Func<MetricSet, double> f) => sets.Average(f);
        return new MetricSet(Avg(x => x.ImageAuroc), Avg(x => x.ImageAp), Avg(x => x.ImageF1Max),
            Avg(x => x.PixelAuroc), Avg(x => x.PixelAp), Avg(x => x.PixelF1Max), Avg(x => x.Aupro),
            sets[0].Rd4adPro is null ? null : sets.Average(x => x.Rd4adPro!.Value));
    }

    static MetricSet Guarded(string what, Func<MetricSet> compute)
    {
        try { return compute(); }
        catch (ArgumentException e) { throw new ArgumentException($"{what}: {e.Message}", e); }
    }
}
