using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>
/// Cross-class mixup (mixup, Zhang et al. ICLR 2018, used across categories as an anomaly):
/// x = λ·x_a + (1−λ)·x_b for images of two different categories, labelled anomalous. The whole
/// image counts as anomalous, so masks are all ones. Images in [0,1].
/// </summary>
public sealed class CrossClassMixup(double lambda = 0.5)
{
    public double Lambda { get; } = lambda is >= 0 and <= 1 ? lambda : throw new ArgumentException($"mixup λ {lambda} must be in [0,1]");

    /// <summary>λ·a + (1−λ)·b for two batches of equal shape.</summary>
    public Tensor Mix(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) throw new ArgumentException($"mixup of [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}]");
        using var scope = NewDisposeScope();
        return (a * Lambda + b * (1 - Lambda)).MoveToOuterDisposeScope();
    }

    /// <summary>Mixes each image with a random image of another category from the same batch.</summary>
    public SynthesisResult Apply(Tensor images, IReadOnlyList<string> categories, int seed)
    {
        ShapeCheck.Images(images, nameof(images));
        ShapeCheck.Categories(images, categories);
        var partners = ShapeCheck.Partners(categories, new Random(seed));
        using var scope = NewDisposeScope();
        var idx = tensor(partners.Select(p => (long)p).ToArray(), device: images.device);
        var mixed = Mix(images, images.index_select(0, idx));
        var masks = ones(images.shape[0], 1, images.shape[2], images.shape[3], device: images.device);
        return new SynthesisResult(mixed.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope());
    }
}
