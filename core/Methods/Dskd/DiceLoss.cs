using static TorchSharp.torch;

namespace Workbench.Methods.Dskd;

/// <summary>Eq. 4: DL = 1 − 2Σ p·g / (Σ p² + Σ g²) over all pixels of the batch (Milletari et al. 2016).</summary>
public static class DiceLoss
{
    public const double Epsilon = 1e-6;

    public static Tensor Compute(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var p = prediction.flatten();
        var g = target.to(prediction.dtype).flatten();
        var dl = 1 - 2 * (p * g).sum() / (p.square().sum() + g.square().sum() + Epsilon);
        return dl.MoveToOuterDisposeScope();
    }
}
