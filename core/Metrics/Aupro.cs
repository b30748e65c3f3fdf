using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// AUPRO as defined by the MVTec AD paper (Bergmann et al., "The MVTec Anomaly Detection Dataset",
/// IJCV 2021) and its evaluation code: one PRO curve over the whole test set — PRO(t) is the mean
/// over all ground-truth regions (8-connected, of all images) of the fraction of the region at or
/// above t; FPR(t) is over all normal pixels of all images — integrated with trapezoids up to
/// FPR = <c>fprLimit</c> (last point interpolated exactly there) and divided by <c>fprLimit</c>.
/// Exact: every distinct score is a threshold. One sort of all pixels on the device of the maps.
/// </summary>
public static class Aupro
{
    /// <param name="maps">[N,H,W] or [N,1,H,W] float scores.</param>
    /// <param name="masks">same shape, 0/1 or bool; needs at least one region and one normal pixel.</param>
    public static double Compute(Tensor maps, Tensor masks, double fprLimit = 0.3) =>
        PixelMetrics.Compute(maps, masks, aupro: true, fprLimit).Aupro;

    /// <summary>AUPRO from an existing pixel ranking (shared with the pixel ROC/PR by <see cref="Evaluate"/>).</summary>
    public static double FromRanking(ScoreRanking ranking, Tensor labelsFlat, ComponentLabels components, double fprLimit = 0.3, long chunk = ScoreRanking.DefaultChunk)
    {
        using var scope = NewDisposeScope();
        var acc = Create(components, labelsFlat.device, fprLimit);
        foreach (var (s, e) in ranking.Chunks(chunk))
        {
            if (acc.Done) break;
            using var inner = NewDisposeScope();
            acc.Add(RankedChunk.Read(ranking, labelsFlat, s, e));
        }
        return acc.NormalisedArea;
    }

    /// <summary>A PRO accumulator after checking the inputs can define the curve. Its tensors join the caller's scope.</summary>
    public static ProCurveAccumulator Create(ComponentLabels components, Device device, double fprLimit) =>
        ProCurveAccumulator.For(Checked(components, fprLimit), device, fprLimit, out _, out _);

    /// <summary>Throws unless the regions and the limit define a PRO curve.</summary>
    public static ComponentLabels Checked(ComponentLabels components, double fprLimit)
    {
        if (!(fprLimit > 0 && fprLimit <= 1)) throw new ArgumentException($"AUPRO FPR limit {fprLimit}: must be in (0, 1]");
        if (components.Count == 0) throw new ArgumentException("AUPRO: the masks hold no anomalous region (PRO is undefined)");
        if (components.Sizes.Sum() == components.Labels.LongLength) throw new ArgumentException("AUPRO: the masks hold no normal pixel (FPR is undefined)");
        return components;
    }
}
