using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Snl;

/// <summary>
/// CRAM (SNL Fig. 4), this workbench's reading: K centres in the block's channel space; each position's
/// feature f is softly assigned a = softmax(−‖f − c_j‖² / T), aggregated m = Σ_j a_j c_j, and pulled toward
/// it: out = f + α (m − f), α learnable (α = 0 is the identity).
/// Before training, <see cref="Initialise"/> puts the centres on k-means clusters of the normal training
/// features of the matching teacher level and calibrates T so the mean assignment entropy on those features
/// is a target (default 1 nat, ≈ 2.7 effective centres of K = 32): an aggregation on the scale of the real
/// distances. The earlier fixed T = τ·C with random centres gave an almost uniform assignment (entropy ≈ log K)
/// on real features, so m was nearly the same vector everywhere and CRAM was an affine shrink.
/// </summary>
public sealed class CentralResidualAggregation : Module<Tensor, Tensor>
{
    readonly Parameter centres;   // [K,C], learnable
    readonly Parameter alpha;     // scalar, learnable
    readonly Tensor temperature;  // [1] buffer: saved with the weights, set by Initialise

    public CentralResidualAggregation(long channels, int centreCount, double alphaInit) : base("Cram")
    {
        if (centreCount < 1) throw new ArgumentException($"CRAM needs at least one centre, got {centreCount}");
        // Placeholders until Initialise: centres in [0,1) (post-ReLU features are non-negative), T = C.
        centres = new Parameter(rand(centreCount, channels));
        alpha = new Parameter(tensor((float)alphaInit));
        temperature = tensor(new float[] { channels });
        register_buffer("temperature", temperature);
        RegisterComponents();
    }

    public Tensor Centres => centres;
    public Tensor Alpha => alpha;
    public double Temperature => temperature.item<float>();
    public int CentreCount => (int)centres.shape[0];

    /// <summary>Centres from k-means of <paramref name="features"/> [N,C] (normal training features), then T
    /// such that their mean assignment entropy is <paramref name="targetEntropy"/> nats.</summary>
    /// <param name="generator">a CPU generator (sampling draws on the CPU, so any device works)</param>
    public void Initialise(Tensor features, double targetEntropy, Generator generator, int iterations = 20)
    {
        if (!(targetEntropy > 0 && targetEntropy < Math.Log(CentreCount)))
            throw new ArgumentException($"CRAM target entropy must be in (0, log K = {Math.Log(CentreCount):F3}), got {targetEntropy}");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = features.to(ScalarType.Float32).to(centres.device);
        var c = KMeans.Fit(x, CentreCount, iterations, generator);
        centres.copy_(c);
        var d2 = KMeans.SquaredDistances(x, c);
        temperature.copy_(tensor(new[] { (float)CalibrateTemperature(d2, targetEntropy) }));
    }

    /// <summary>T with mean entropy of softmax(−d2/T) = target, by bisection on log T (entropy rises with T).</summary>
    static double CalibrateTemperature(Tensor d2, double target)
    {
        double lo = Math.Log(1e-8), hi = Math.Log(Math.Max(d2.max().item<float>(), 1e-6) * 1e4);
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (MeanEntropy(d2, Math.Exp(mid)) < target) lo = mid; else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }

    static double MeanEntropy(Tensor d2, double t)
    {
        using var scope = NewDisposeScope();
        var logA = functional.log_softmax(-d2 / t, 1);
        return (-(logA.exp() * logA).sum(1)).mean().item<float>();
    }

    /// <summary>Soft assignments [N,K] of feature maps [B,C,H,W] (positions flattened batch-major).</summary>
    public Tensor Assignments(Tensor f)
    {
        using var scope = NewDisposeScope();
        var x = f.permute(0, 2, 3, 1).reshape(-1, f.shape[1]);
        return functional.softmax(-KMeans.SquaredDistances(x, centres) / temperature, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Mean assignment entropy (nats) over the positions of <paramref name="f"/>; log K = uniform.</summary>
    public double AssignmentEntropy(Tensor f)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var a = Assignments(f);
        return (-(a * a.clamp_min(1e-12).log()).sum(1)).mean().item<float>();
    }

    public override Tensor forward(Tensor f)
    {
        using var scope = NewDisposeScope();
        long b = f.shape[0], c = f.shape[1], h = f.shape[2], w = f.shape[3];
        var m = Assignments(f).mm(centres).reshape(b, h, w, c).permute(0, 3, 1, 2);      // [B,C,H,W]
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
