using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// ROC/PR metrics and AUPRO for CPU tensors: <see cref="PackedScoreSort"/> then one sequential
/// pass with the same arithmetic as <see cref="BinaryCurveAccumulator"/> and
/// <see cref="ProCurveAccumulator"/> (float64 counts, a curve point at the end of every tie).
/// Component ids are only read for anomalous pixels, and only until FPR passes the limit.
/// </summary>
public static class CpuPixelScan
{
    /// <param name="components">null: skip AUPRO (NaN).</param>
    public static PixelScores Run(Tensor scores, Tensor labels, ComponentLabels? components, double fprLimit) =>
        Run(scores, MetricInputs.BinaryBytes(labels.reshape(-1), "labels"), components, fprLimit);

    /// <param name="labels">0/1 per flat sample (already checked).</param>
    public static PixelScores Run(Tensor scores, byte[] labels, ComponentLabels? components, double fprLimit)
    {
        ulong[] keys;
        using (var scope = NewDisposeScope())
        {
            var s = scores.reshape(-1).to(ScalarType.Float32).cpu().contiguous();
            keys = PackedScoreSort.Sort(SpanOf<float>(s), labels);
        }
        return Scan(keys, components, fprLimit);
    }

    static ReadOnlySpan<T> SpanOf<T>(Tensor t) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(t.bytes);

    public static PixelScores Scan(ulong[] keys, ComponentLabels? components, double fprLimit)
    {
        long n = keys.LongLength, pos = 0;
        foreach (var k in keys) if (PackedScoreSort.IsPositive(k)) pos++;
        double p = pos, neg = n - pos;
        if (pos == 0 || neg == 0)
            throw new ArgumentException($"only one class present ({pos} positive, {n - pos} negative samples): AUROC/AP/F1 are undefined");

        double[]? weights = null;
        if (components is not null)
        {
            weights = new double[components.Count + 1];
            for (int c = 1; c <= components.Count; c++) weights[c] = 1.0 / ((double)components.Count * components.Sizes[c]);
        }
        var ids = components?.Labels;
        bool proDone = components is null;

        double tp = 0, fp = 0, lastTp = 0, lastFp = 0, rocTwice = 0, ap = 0, f1 = 0;
        double pro = 0, lastX = 0, lastY = 0, area = 0;
        for (long i = 0; i < n; i++)
        {
            ulong k = keys[i];
            if (PackedScoreSort.IsPositive(k))
            {
                tp++;
                if (!proDone) pro += weights![ids![PackedScoreSort.Index(k)]];
            }
            else fp++;
            if (i + 1 < n && PackedScoreSort.ScoreBits(keys[i + 1]) == PackedScoreSort.ScoreBits(k)) continue;

            rocTwice += (fp - lastFp) / neg * (tp / p + lastTp / p);
            ap += (tp - lastTp) / p * (tp / (tp + fp));
            f1 = Math.Max(f1, 2 * tp / (tp + fp + p));
            lastTp = tp; lastFp = fp;

            if (proDone) continue;
            double x = fp / neg;
            if (x <= fprLimit) area += (pro + lastY) * (x - lastX) / 2;
            else
            {
                double yAtLimit = lastY + (pro - lastY) * (fprLimit - lastX) / (x - lastX);
                area += 0.5 * (lastY + yAtLimit) * (fprLimit - lastX);
                proDone = true;
            }
            lastX = x; lastY = pro;
        }
        return new PixelScores(rocTwice / 2, ap, f1, components is null ? double.NaN : area / fprLimit);
    }
}
