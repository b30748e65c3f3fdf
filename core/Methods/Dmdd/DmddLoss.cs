using static TorchSharp.torch;

namespace Workbench.Methods.Dmdd;

/// <summary>
/// DMDD's dual-modelling distillation losses (abstract: "fitting normality features of anomalous
/// image and the teacher features of the corresponding normal image, widening the distance between
/// abnormality features and the teacher features in anomalous regions"); the forms are our reading.
/// </summary>
public static class DmddLoss
{
    /// <summary>Mask [B,1,H,W] (0/1) → per-cell anomaly weight [B,1,h,w] at a level's size.</summary>
    public static Tensor DownsampleMask(Tensor mask, long h, long w, DmddMaskDownsample how)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(ScalarType.Float32);
        var r = how switch
        {
            DmddMaskDownsample.Any => nn.functional.adaptive_max_pool2d(m, new[] { h, w }),
            DmddMaskDownsample.AreaThreshold => (nn.functional.adaptive_avg_pool2d(m, new[] { h, w }) > 0.5f).to(ScalarType.Float32),
            _ => nn.functional.adaptive_avg_pool2d(m, new[] { h, w }),
        };
        return r.MoveToOuterDisposeScope();
    }

    static Tensor Cos(Tensor a, Tensor b) => nn.functional.cosine_similarity(a, b, dim: 1).unsqueeze(1);

    /// <summary>Normality modelling, one level: mean over positions of 1 − cos(S_n(I_a), T(I_n)).</summary>
    public static Tensor Normality(Tensor studentNormality, Tensor teacherOfNormal)
    {
        using var scope = NewDisposeScope();
        return (1 - Cos(studentNormality, teacherOfNormal)).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Abnormality modelling, one level: outside M 1 − cos(S_a(I_a), T(I_a)) (imitate the teacher),
    /// inside M max(0, cos(S_a(I_a), T(I_a)) − m) (push away, up to the margin); weighted by the
    /// level's mask weight w: (1 − w)·outside + w·inside, averaged over positions.
    /// </summary>
    public static Tensor Abnormality(Tensor studentAbnormality, Tensor teacherOfAnomalous, Tensor levelMask, double margin)
    {
        using var scope = NewDisposeScope();
        var c = Cos(studentAbnormality, teacherOfAnomalous);
        var outside = 1 - c;
        var inside = nn.functional.relu(c - margin);
        return ((1 - levelMask) * outside + levelMask * inside).mean().MoveToOuterDisposeScope();
    }
}
