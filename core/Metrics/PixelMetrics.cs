using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>Pixel AUROC, AP, F1-max and AUPRO of one test set.</summary>
public sealed record PixelScores(double Auroc, double AveragePrecision, double F1Max, double Aupro);

/// <summary>How the ranking and scan run. Auto: <see cref="CpuPixelScan"/> for CPU tensors
/// (libtorch's CPU sort is the bottleneck there), tensor ops on any other device.</summary>
public enum ScanPath { Auto, Tensor, Cpu }

/// <summary>
/// All pixel metrics from a single sort of all pixel scores: one chunked pass feeds the ROC/PR
/// accumulator and the PRO accumulator (which stops reading once FPR passes its limit). On CPU
/// tensors the same arithmetic runs as <see cref="CpuPixelScan"/> unless <see cref="ScanPath.Tensor"/> is asked for.
/// </summary>
public static class PixelMetrics
{
    /// <param name="maps">[N,H,W] or [N,1,H,W] float.</param>
    /// <param name="masks">same shape, 0/1 or bool.</param>
    /// <param name="aupro">false: skip labelling and AUPRO (NaN).</param>
    public static PixelScores Compute(Tensor maps, Tensor masks, bool aupro = true, double fprLimit = 0.3,
        long chunk = ScoreRanking.DefaultChunk, ScanPath path = ScanPath.Auto)
    {
        using var scope = NewDisposeScope();
        var m = MetricInputs.AsMaps(maps, "maps");
        var g = MetricInputs.AsMaps(masks, "masks");
        if (!m.shape.SequenceEqual(g.shape))
            throw new ArgumentException($"maps [{string.Join(",", m.shape)}] and masks [{string.Join(",", g.shape)}] differ in shape");
        if (path == ScanPath.Cpu || (path == ScanPath.Auto && m.device.type == DeviceType.CPU))
        {
            // Mask bytes are read once, for labelling and for the keys (NaN is checked while packing).
            var maskBytes = MetricInputs.BinaryBytes(g, "masks");
            var components = aupro ? Aupro.Checked(ConnectedComponents.Label(maskBytes, (int)g.shape[0], (int)g.shape[1], (int)g.shape[2]), fprLimit) : null;
            return CpuPixelScan.Run(m.cpu(), maskBytes, components, fprLimit);
        }
        var labelsFlat = MetricInputs.AsBinary(g.reshape(-1).to(m.device), "masks");
        MetricInputs.RequireNoNaN(m, "maps");
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
