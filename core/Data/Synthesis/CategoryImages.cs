using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>Images of one category, [N,3,H,W] in [0,1], with a name per image (its file) so results trace back.</summary>
public sealed class CategoryImages : IDisposable
{
    public CategoryImages(string category, Tensor raw, IReadOnlyList<string> names)
    {
        ShapeCheck.Images(raw, nameof(raw));
        if (names.Count != raw.shape[0]) throw new ArgumentException($"{category}: {names.Count} names for {raw.shape[0]} images");
        Category = category; Raw = raw; Names = names;
    }

    public string Category { get; }
    public Tensor Raw { get; }
    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;
    public void Dispose() => Raw.Dispose();
}
