using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>AUROC, AP and F1-max of one score set, all three from the same ranking.</summary>
public sealed record BinaryScores(double Auroc, double AveragePrecision, double F1Max);

/// <summary>
/// Threshold-free binary metrics with scikit-learn's tie handling (see <see cref="BinaryCurveAccumulator"/>),
/// computed on the device of the scores. Scores: any shape, float; labels: same count, 0/1 or bool.
/// Throws <see cref="ArgumentException"/> when only one class is present (sklearn raises too) or
/// when a score is NaN.
/// </summary>
public static class BinaryMetrics
{
    public static double Auroc(Tensor scores, Tensor labels) => All(scores, labels).Auroc;
    public static double AveragePrecision(Tensor scores, Tensor labels) => All(scores, labels).AveragePrecision;
    public static double F1Max(Tensor scores, Tensor labels) => All(scores, labels).F1Max;

    /// <summary>All three metrics from one sort.</summary>
    public static BinaryScores All(Tensor scores, Tensor labels)
    {
        MetricInputs.RequireSameCount(scores, labels, "BinaryMetrics");
        using var scope = NewDisposeScope();
        if (scores.device.type == DeviceType.CPU)
        {
            var p = CpuPixelScan.Run(scores, labels, null, 1);
            return new BinaryScores(p.Auroc, p.AveragePrecision, p.F1Max);
        }
        var flatLabels = MetricInputs.AsBinary(labels.reshape(-1).to(scores.device), "labels");
        using var ranking = ScoreRanking.Create(scores);
        return FromRanking(ranking, flatLabels);
    }

    /// <summary>The metrics from an existing ranking (shared with AUPRO by <see cref="Evaluate"/>).
    /// <paramref name="labelsFlat"/>: bool [P] on the ranking's device.</summary>
    public static BinaryScores FromRanking(ScoreRanking ranking, Tensor labelsFlat, long chunk = ScoreRanking.DefaultChunk)
    {
        var (pos, neg) = ClassCounts(labelsFlat);
        var acc = new BinaryCurveAccumulator(pos, neg);
        foreach (var (s, e) in ranking.Chunks(chunk))
        {
            using var scope = NewDisposeScope();
            acc.Add(RankedChunk.Read(ranking, labelsFlat, s, e));
        }
        return new BinaryScores(acc.Auroc, acc.AveragePrecision, acc.F1Max);
    }

    /// <summary>(positives, negatives); throws unless both are present.</summary>
    internal static (double Positives, double Negatives) ClassCounts(Tensor labelsFlat)
    {
        using var sum = labelsFlat.sum(ScalarType.Int64);
        double pos = sum.item<long>(), neg = labelsFlat.numel() - pos;
        if (pos == 0 || neg == 0)
            throw new ArgumentException($"only one class present ({pos} positive, {neg} negative samples): AUROC/AP/F1 are undefined");
        return (pos, neg);
    }
}
