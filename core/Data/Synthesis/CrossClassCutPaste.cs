using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>
/// Cross-class cut-paste (CutPaste, Li et al. CVPR 2021, with the patch taken from another
/// category): a rectangle cropped from a category-A image is pasted at a random place on a
/// category-B image; the mask is the pasted rectangle. Side lengths are a uniform fraction
/// [MinFraction, MaxFraction] of the image side. Images in [0,1].
/// </summary>
public sealed class CrossClassCutPaste(double minFraction = 0.1, double maxFraction = 0.3)
{
    /// <summary>Pastes a patch of <paramref name="donors"/>[i] onto <paramref name="targets"/>[i].</summary>
    public SynthesisResult Apply(Tensor targets, Tensor donors, int seed)
    {
        ShapeCheck.Images(targets, nameof(targets));
        if (!targets.shape.SequenceEqual(donors.shape)) throw new ArgumentException($"cut-paste targets [{string.Join(",", targets.shape)}] and donors [{string.Join(",", donors.shape)}] differ");
        if (minFraction <= 0 || maxFraction > 1 || minFraction > maxFraction) throw new ArgumentException($"patch fractions [{minFraction}, {maxFraction}] must satisfy 0 < min ≤ max ≤ 1");
        int b = (int)targets.shape[0], h = (int)targets.shape[2], w = (int)targets.shape[3];
        var rng = new Random(seed);
        using var scope = NewDisposeScope();
        var outImg = targets.clone();
        var masks = zeros(b, 1, h, w, device: targets.device);
        for (int i = 0; i < b; i++)
        {
            int ph = Math.Max(1, (int)Math.Round(h * (minFraction + (maxFraction - minFraction) * rng.NextDouble())));
            int pw = Math.Max(1, (int)Math.Round(w * (minFraction + (maxFraction - minFraction) * rng.NextDouble())));
            int sy = rng.Next(h - ph + 1), sx = rng.Next(w - pw + 1), dy = rng.Next(h - ph + 1), dx = rng.Next(w - pw + 1);
            var patch = donors[i].narrow(1, sy, ph).narrow(2, sx, pw);
            outImg[i].narrow(1, dy, ph).narrow(2, dx, pw).copy_(patch);
            masks[i].narrow(1, dy, ph).narrow(2, dx, pw).fill_(1);
        }
        return new SynthesisResult(outImg.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope());
    }

    /// <summary>For each image, pastes a patch from a random image of another category in the batch.</summary>
    public SynthesisResult Apply(Tensor images, IReadOnlyList<string> categories, int seed)
    {
        ShapeCheck.Images(images, nameof(images));
        ShapeCheck.Categories(images, categories);
        var rng = new Random(seed);
        var partners = ShapeCheck.Partners(categories, rng);
        using var idx = tensor(partners.Select(p => (long)p).ToArray(), device: images.device);
        using var donors = images.index_select(0, idx);
        return Apply(images, donors, rng.Next());
    }
}
