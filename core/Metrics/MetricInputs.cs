using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>Shape and value checks shared by the metric entry points, so every degenerate input
/// fails with the same clear message instead of yielding a silent number.</summary>
internal static class MetricInputs
{
    /// <summary>[N,H,W] or [N,1,H,W] → [N,H,W] (a view).</summary>
    public static Tensor AsMaps(Tensor t, string name)
    {
        if (t.dim() == 4 && t.shape[1] == 1) return t.squeeze(1);
        if (t.dim() == 3) return t.alias();
        throw new ArgumentException($"{name}: expected [N,H,W] or [N,1,H,W], got [{string.Join(",", t.shape)}]");
    }

    /// <summary>Throws when any score is NaN (a NaN has no place in a ranking).</summary>
    public static void RequireNoNaN(Tensor scores, string name)
    {
        if (!scores.is_floating_point()) return;
        using var any = scores.isnan().any();
        if (any.item<bool>()) throw new ArgumentException($"{name}: contains NaN scores; metrics are undefined (fix the model output or filter the samples)");
    }

    /// <summary>0/1 (or bool) labels → bool, checking that nothing else is present.</summary>
    public static Tensor AsBinary(Tensor labels, string name)
    {
        if (labels.dtype == ScalarType.Bool) return labels.alias();
        using var scope = NewDisposeScope();
        var isZero = labels.eq(0);
        var bad = isZero.logical_or(labels.eq(1)).logical_not().any();
        if (bad.item<bool>()) throw new ArgumentException($"{name}: labels must be 0 or 1 (masks: threshold them first)");
        return isZero.logical_not().MoveToOuterDisposeScope();
    }

    /// <summary>0/1 labels of any dtype → a host byte array (row-major), checking that nothing else is present.</summary>
    public static byte[] BinaryBytes(Tensor labels, string name)
    {
        using var scope = NewDisposeScope();
        bool small = labels.dtype is ScalarType.Bool or ScalarType.Byte;
        var t = small ? labels : AsBinary(labels, name);
        var bytes = t.to(ScalarType.Byte).cpu().contiguous().data<byte>().ToArray();
        if (labels.dtype == ScalarType.Byte && bytes.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)1) >= 0)
            throw new ArgumentException($"{name}: labels must be 0 or 1 (masks: threshold them first)");
        return bytes;
    }

    public static void RequireSameCount(Tensor a, Tensor b, string what)
    {
        if (a.numel() != b.numel())
            throw new ArgumentException($"{what}: {a.numel()} scores but {b.numel()} labels");
    }
}
