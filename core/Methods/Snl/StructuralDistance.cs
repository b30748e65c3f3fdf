using static TorchSharp.torch;

namespace Workbench.Methods.Snl;

/// <summary>
/// SNL's structural teacher–student distances for one block (Fig. 3), on [B,C,H,W] features.
/// Each returns a scalar (or a per-position map) and is symmetric in its two arguments except SoftmaxKl.
/// </summary>
public static class StructuralDistance
{
    /// <summary>Spatial-wise: per channel, 1 − cos between the H·W vectors (or KL of spatial softmaxes), mean over B·C.</summary>
    public static Tensor Spatial(Tensor teacher, Tensor student, SpatialForm form, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var t = teacher.flatten(2);
        var s = student.flatten(2);
        Tensor d = form switch
        {
            SpatialForm.Cosine => (1 - nn.functional.cosine_similarity(t, s, dim: 2)).mean(),
            SpatialForm.SoftmaxKl => SpatialKl(t, s, temperature),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        return d.MoveToOuterDisposeScope();
    }

    static Tensor SpatialKl(Tensor t, Tensor s, double temperature)
    {
        var logPt = nn.functional.log_softmax(t / temperature, 2);
        var logPs = nn.functional.log_softmax(s / temperature, 2);
        return (logPt.exp() * (logPt - logPs)).sum(2).mean();
    }

    /// <summary>The (h, w) the intra-affinity works at: the feature size, average-pooled to at most cap×cap.</summary>
    public static (long H, long W) IntraSize(long h, long w, int cap) => (Math.Min(h, cap), Math.Min(w, cap));

    /// <summary>
    /// Intra-affinity distance per position: A = N(F)ᵀN(F) ∈ R^{P×P} per image (N normalises each position's
    /// channel vector, P = h·w after pooling to the cap); returns mean_j pen(A_T(i,j) − A_S(i,j)) as [B,1,h,w].
    /// Rows are formed chunk by chunk so no more than chunk×P entries per image exist at once in a
    /// no-grad forward (with gradients autograd keeps what backward needs: O(P²) per image, bounded by the cap).
    /// </summary>
    public static Tensor IntraMap(Tensor teacher, Tensor student, int cap, int chunk, AffinityPenalty penalty)
    {
        using var scope = NewDisposeScope();
        var (h, w) = IntraSize(teacher.shape[2], teacher.shape[3], cap);
        var nt = Normalised(Pool(teacher, h, w));   // [B,C,P]
        var ns = Normalised(Pool(student, h, w));
        long p = h * w;
        var rows = new List<Tensor>();
        for (long start = 0; start < p; start += chunk)
        {
            long len = Math.Min(chunk, p - start);
            var at = nt.narrow(2, start, len).transpose(1, 2).bmm(nt);   // [B,len,P]
            var @as = ns.narrow(2, start, len).transpose(1, 2).bmm(ns);
            var diff = at - @as;
            rows.Add((penalty == AffinityPenalty.Absolute ? diff.abs() : diff.square()).mean(new long[] { 2 }));   // [B,len]
        }
        var map = cat(rows, 1).reshape(teacher.shape[0], 1L, h, w);
        return map.MoveToOuterDisposeScope();
    }

    /// <summary>Intra-affinity loss: the mean of <see cref="IntraMap"/> = mean over i, j and the batch.</summary>
    public static Tensor Intra(Tensor teacher, Tensor student, int cap, int chunk, AffinityPenalty penalty)
    {
        using var scope = NewDisposeScope();
        return IntraMap(teacher, student, cap, chunk, penalty).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Inter-affinity: B×B cosine matrix between images' pooled (or flattened) features, mean |G_T − G_S|.</summary>
    public static Tensor Inter(Tensor teacher, Tensor student, InterFeature feature)
    {
        using var scope = NewDisposeScope();
        var gt = Gram(teacher, feature);
        var gs = Gram(student, feature);
        return (gt - gs).abs().mean().MoveToOuterDisposeScope();
    }

    /// <summary>The B×B cosine-similarity matrix between the images of a batch.</summary>
    public static Tensor Gram(Tensor features, InterFeature feature)
    {
        using var scope = NewDisposeScope();
        var v = feature == InterFeature.GlobalAverage ? features.mean(new long[] { 2, 3 }) : features.flatten(1);
        v = nn.functional.normalize(v, p: 2, dim: 1);
        return v.mm(v.t()).MoveToOuterDisposeScope();
    }

    static Tensor Pool(Tensor f, long h, long w) =>
        f.shape[2] == h && f.shape[3] == w ? f : nn.functional.adaptive_avg_pool2d(f, new[] { h, w });

    static Tensor Normalised(Tensor f) => nn.functional.normalize(f.flatten(2), p: 2, dim: 1);
}
