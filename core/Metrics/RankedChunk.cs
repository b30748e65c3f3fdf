using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>One slice [Start, End) of a <see cref="ScoreRanking"/> with what every curve reads from
/// it: the flat sample indices, the tie ends, and the samples' 0/1 labels as float64 (gathered once
/// and shared by the ROC/PR and PRO accumulators).</summary>
public sealed record RankedChunk(long Start, long End, Tensor Order, Tensor EndsTie, Tensor Positives)
{
    /// <summary>Gathers the chunk; <paramref name="labelsFlat"/> is bool [P] on the ranking's device.
    /// The tensors belong to the caller's dispose scope.</summary>
    public static RankedChunk Read(ScoreRanking ranking, Tensor labelsFlat, long start, long end)
    {
        var order = ranking.Order.narrow(0, start, end - start);
        var endsTie = ranking.EndsTie.narrow(0, start, end - start);
        var positives = labelsFlat.index_select(0, order).to(ScalarType.Float64);
        return new RankedChunk(start, end, order, endsTie, positives);
    }
}
