using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// The one sort every threshold curve needs: scores ranked in descending order, plus which ranks
/// close a run of tied scores (the "distinct thresholds" of scikit-learn's <c>_binary_clf_curve</c>:
/// a curve point is taken only after the last sample of each tie). ROC, PR and PRO curves are then
/// cumulative sums over the ranking, read in chunks so memory stays bounded at benchmark scale.
/// Lives on the device of the scores.
/// </summary>
public sealed class ScoreRanking : IDisposable
{
    /// <summary>Default number of ranks processed at once by scans (float64 temporaries of 32 MB each).</summary>
    public const long DefaultChunk = 1L << 22;

    /// <summary>int64 [P]: flat index of the sample at each rank (highest score first).</summary>
    public Tensor Order { get; }
    /// <summary>bool [P]: true where rank r's score differs from rank r+1's (always true at the end).</summary>
    public Tensor EndsTie { get; }
    public long Count { get; }

    ScoreRanking(Tensor order, Tensor endsTie) { Order = order; EndsTie = endsTie; Count = order.shape[0]; }

    /// <summary>Ranks any-shaped float scores (flattened). Throws on NaN or empty input.</summary>
    public static ScoreRanking Create(Tensor scores)
    {
        if (scores.numel() == 0) throw new ArgumentException("scores: empty");
        MetricInputs.RequireNoNaN(scores, "scores");
        using var scope = NewDisposeScope();
        var flat = scores.reshape(-1);
        var (values, order) = flat.sort(0, descending: true, stable: false);
        var n = values.shape[0];
        var endsTie = n == 1
            ? ones(1, ScalarType.Bool, device: values.device)
            : cat(new[] { values.narrow(0, 0, n - 1).ne(values.narrow(0, 1, n - 1)), ones(1, ScalarType.Bool, device: values.device) });
        return new ScoreRanking(order.MoveToOuterDisposeScope(), endsTie.MoveToOuterDisposeScope());
    }

    /// <summary>[start, end) rank ranges covering the ranking in order.</summary>
    public IEnumerable<(long Start, long End)> Chunks(long chunk = DefaultChunk)
    {
        for (long s = 0; s < Count; s += chunk) yield return (s, Math.Min(Count, s + chunk));
    }

    public void Dispose() { Order.Dispose(); EndsTie.Dispose(); }
}
