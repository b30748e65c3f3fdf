using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// AUROC, average precision and F1-max from one pass over a <see cref="ScoreRanking"/>, chunk by
/// chunk, with scikit-learn's semantics (sklearn.metrics.roc_auc_score, average_precision_score,
/// precision_recall_curve): one curve point per distinct score, counts taken after the whole tie.
/// AUROC: trapezoids over (FPR, TPR) from (0,0). AP = Σ_n (R_n − R_{n−1}) P_n, no interpolation.
/// F1-max = max_n 2·TP_n / (TP_n + FP_n + P), i.e. 2PR/(P+R) with 0 where TP = 0.
/// Counts are float64 cumulative sums (exact up to 2^53 samples).
/// </summary>
public sealed class BinaryCurveAccumulator(double positives, double negatives)
{
    double carriedPositives;           // labels summed over all earlier chunks
    double lastTp, lastFp;             // the previous curve point (0,0 before the first)
    double rocAreaTwice, apSum, f1Max; // Σ ΔFPR·(TPR_n + TPR_{n−1}); Σ ΔR·P; max F1

    public void Add(RankedChunk chunk)
    {
        using var scope = NewDisposeScope();
        var dev = chunk.Positives.device;
        var tpAll = chunk.Positives.cumsum(0).add_(carriedPositives);
        carriedPositives = tpAll[-1].item<double>();
        var tp = tpAll.masked_select(chunk.EndsTie);
        if (tp.numel() == 0) return;
        var ranks = arange(chunk.Start + 1, chunk.End + 1, 1, ScalarType.Float64, device: dev);
        var fp = ranks.masked_select(chunk.EndsTie).sub_(tp);
        var tpPrev = cat(new[] { tensor(new[] { lastTp }, device: dev), tp.narrow(0, 0, tp.shape[0] - 1) });
        var fpPrev = cat(new[] { tensor(new[] { lastFp }, device: dev), fp.narrow(0, 0, fp.shape[0] - 1) });

        var tpr = tp / positives; var tprPrev = tpPrev / positives;
        rocAreaTwice += ((fp - fpPrev) / negatives * (tpr + tprPrev)).sum().item<double>();
        apSum += ((tp - tpPrev) / positives * (tp / (tp + fp))).sum().item<double>();
        f1Max = Math.Max(f1Max, (2 * tp / (tp + fp + positives)).max().item<double>());

        lastTp = tp[-1].item<double>();
        lastFp = fp[-1].item<double>();
    }

    public double Auroc => rocAreaTwice / 2;
    public double AveragePrecision => apSum;
    public double F1Max => f1Max;
}
