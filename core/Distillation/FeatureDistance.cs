using static TorchSharp.torch;

namespace Workbench.Distillation;

/// <summary>Teacher–student feature distances shared by every distillation method.</summary>
public static class FeatureDistance
{
    /// <summary>1 − cos over channels at each position: [B,C,H,W] × 2 → [B,1,H,W] (the RD/FD anomaly map).</summary>
    public static Tensor CosinePerPosition(Tensor teacher, Tensor student)
    {
        using var scope = NewDisposeScope();
        var d = 1 - nn.functional.cosine_similarity(teacher, student, dim: 1);
        return d.unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>1 − cos between whole flattened C·H·W vectors, per image: → [B]. RD4AD's training loss
    /// (official loss_fucntion in main.py flattens each level before CosineSimilarity).</summary>
    public static Tensor CosineFlattened(Tensor teacher, Tensor student)
    {
        using var scope = NewDisposeScope();
        var b = teacher.shape[0];
        var d = 1 - nn.functional.cosine_similarity(teacher.reshape(b, -1), student.reshape(b, -1), dim: 1);
        return d.MoveToOuterDisposeScope();
    }

    /// <summary>STPM's form: ½‖t/‖t‖ − s/‖s‖‖² over channels at each position → [B,1,H,W].
    /// Equal to 1 − cos up to rounding; kept as its own option to match STPM's code path.</summary>
    public static Tensor NormalizedL2PerPosition(Tensor teacher, Tensor student)
    {
        using var scope = NewDisposeScope();
        var t = nn.functional.normalize(teacher, p: 2, dim: 1);
        var s = nn.functional.normalize(student, p: 2, dim: 1);
        return (0.5 * (t - s).square().sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }
}
