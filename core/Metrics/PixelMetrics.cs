using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>Pixel AUROC, AP, F1-max and AUPRO of one test set.</summary>
public sealed record PixelScores(double Auroc, double AveragePrecision, double F1Max, double Aupro);

/// <summary>
/// All pixel metrics from a single sort of all pixel scores: one chunked pass feeds the ROC/PR
/// accumulator and the PRO accumulator (which stops reading once FPR passes its limit).
/// </summary>
public static class PixelMetrics
{
    /// <param name="maps">[N,H,W] or [N,1,H,W] float.</param>
    /// <param name="masks">same shape, 0/1 or bool.</param>
    /// <param name="aupro">false: skip labelling and AUPRO (NaN).</param>
    public static PixelScores Compute(Tensor maps, Tensor masks, bool aupro = true, double fprLimit = 0.3, long chunk = ScoreRanking.DefaultChunk)
    {
        using var scope = NewDisposeScope();
        var m = MetricInputs.AsMaps(maps, "maps");
        var g = MetricInputs.AsMaps(masks, "masks");
        if (!m.shape.SequenceEqual(g.shape))
            throw new ArgumentException($"maps [{string.Join(",", m.shape)}] and masks [{string.Join(",", g.shape)}] differ in shape");
        var labelsFlat = MetricInputs.AsBinary(g.reshape(-1).to(m.device), "masks");
        var (pos, neg) = BinaryMetrics.ClassCounts(labelsFlat);
        var roc = new BinaryCurveAccumulator(pos, neg);
        var pro = aupro ? Aupro.Create(ConnectedComponents.Label(g), m.device, fprLimit) : null;

        using var ranking = ScoreRanking.Create(m);
        foreach (var (s, e) in ranking.Chunks(chunk))
        {
            using var inner = NewDisposeScope();
            var c = RankedChunk.Read(ranking, labelsFlat, s, e);
            roc.Add(c);
            pro?.Add(c);
        }
        return new PixelScores(roc.Auroc, roc.AveragePrecision, roc.F1Max, pro?.NormalisedArea ?? double.NaN);
    }
}
