using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>Argument checks shared by the synthesis classes.</summary>
static class ShapeCheck
{
    public static void Images(Tensor t, string name)
    {
        if (t.dim() != 4 || t.shape[1] != 3)
            throw new ArgumentException($"{name}: expected [B,3,H,W] images in [0,1], got [{string.Join(",", t.shape)}]");
    }

    public static void Categories(Tensor images, IReadOnlyList<string> categories)
    {
        if (categories.Count != images.shape[0])
            throw new ArgumentException($"{categories.Count} categories for {images.shape[0]} images");
        if (categories.Distinct().Count() < 2)
            throw new ArgumentException("cross-class synthesis needs images of at least two categories in the batch");
    }

    /// <summary>For each image, a random partner index of a different category.</summary>
    public static int[] Partners(IReadOnlyList<string> categories, Random rng)
    {
        var partners = new int[categories.Count];
        for (int i = 0; i < categories.Count; i++)
        {
            var others = Enumerable.Range(0, categories.Count).Where(j => categories[j] != categories[i]).ToList();
            partners[i] = others[rng.Next(others.Count)];
        }
        return partners;
    }
}
