using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Snl;

/// <summary>
/// CRAM (SNL Fig. 4), this workbench's reading: K learnable centres in the block's channel space; each
/// position's feature f is softly assigned a = softmax(−‖f − c_j‖² / (τ·C)), aggregated m = Σ_j a_j c_j,
/// and pulled toward it: out = f + α (m − f), α learnable. With α = 0 it is the identity.
/// </summary>
public sealed class CentralResidualAggregation : Module<Tensor, Tensor>
{
    readonly Parameter centres;   // [K,C]
    readonly Parameter alpha;     // scalar
    readonly double temperature;

    public CentralResidualAggregation(long channels, int centreCount, double temperature, double alphaInit) : base("Cram")
    {
        if (centreCount < 1) throw new ArgumentException($"CRAM needs at least one centre, got {centreCount}");
        if (temperature <= 0) throw new ArgumentException($"CRAM temperature must be > 0, got {temperature}");
        // Centres start in [0,1): the blocks' outputs are post-ReLU, so non-negative like them.
        centres = new Parameter(rand(centreCount, channels));
        alpha = new Parameter(tensor((float)alphaInit));
        this.temperature = temperature;
        RegisterComponents();
    }

    public Tensor Centres => centres;
    public Tensor Alpha => alpha;

    public override Tensor forward(Tensor f)
    {
        using var scope = NewDisposeScope();
        long b = f.shape[0], c = f.shape[1], h = f.shape[2], w = f.shape[3];
        var x = f.permute(0, 2, 3, 1).reshape(-1, c);                                    // [N,C]
        var d2 = x.square().sum(1, keepdim: true) - 2 * x.mm(centres.t()) + centres.square().sum(1).unsqueeze(0);
        var a = functional.softmax(-d2 / (temperature * c), 1);                          // [N,K]
        var m = a.mm(centres).reshape(b, h, w, c).permute(0, 3, 1, 2);                  // [B,C,H,W]
        return (f + alpha * (m - f)).MoveToOuterDisposeScope();
    }

    /// <summary>Light anti-collapse term: mean squared cosine between distinct centres.</summary>
    public Tensor Diversity()
    {
        using var scope = NewDisposeScope();
        long k = centres.shape[0];
        if (k < 2) return zeros(1, device: centres.device).sum().MoveToOuterDisposeScope();
        var n = functional.normalize(centres, p: 2, dim: 1);
        var g = n.mm(n.t());
        var offDiagonal = g.square().sum() - g.diagonal().square().sum();
        return (offDiagonal / (k * (k - 1))).MoveToOuterDisposeScope();
    }
}
