using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>
/// What one image of a cross-class test set is made of. Kind: normal | mixup | cut-paste.
/// Category: the image's own category (normal), "A+B" (mixup), or the category pasted onto (cut-paste).
/// Source: the image's name (mixup: the A image; cut-paste: the target); Partner: the B image / the patch donor.
/// </summary>
public sealed record CrossClassItem(string Kind, string Category, bool IsAnomalous, string Source, string? Partner);

/// <summary>
/// A test set for cross-class interference (SNL, Fig. 2b/c): the normal images of the categories
/// a multi-class model was trained on, plus anomalies built only from normal parts of two of them —
/// mixups of an A and a B image, or a patch of one category pasted onto another. A model that has
/// learnt "any feature of any trained category is normal" scores these like normals.
/// Images [N,3,H,W] in [0,1] (normalise before a backbone), masks [N,1,H,W] 0/1, on the inputs' device.
/// </summary>
public sealed class CrossClassTestSet(Tensor images, Tensor masks, IReadOnlyList<CrossClassItem> items) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Masks { get; } = masks;
    public IReadOnlyList<CrossClassItem> Items { get; } = items;
    public int Count => Items.Count;
    public int[] Labels => Items.Select(i => i.IsAnomalous ? 1 : 0).ToArray();
    public string[] Categories => Items.Select(i => i.Category).ToArray();

    /// <summary>
    /// The normal images of <paramref name="a"/> and <paramref name="b"/> (label 0) and
    /// <paramref name="count"/> mixups λ·a_i + (1−λ)·b_j (label 1, mask all ones) over distinct
    /// pairs (i, j) drawn with <paramref name="seed"/>; count defaults to the number of normals.
    /// </summary>
    public static CrossClassTestSet Mixup(CategoryImages a, CategoryImages b, int seed, double lambda = 0.5, int? count = null)
    {
        SameGeometry(a, b);
        if (a.Category == b.Category) throw new ArgumentException($"mixup needs two categories, got {a.Category} twice");
        int n = count ?? a.Count + b.Count;
        if (n < 1 || n > a.Count * b.Count) throw new ArgumentException($"{n} mixups of {a.Category} × {b.Category}: at most {a.Count * b.Count} distinct pairs");
        var pairs = Enumerable.Range(0, a.Count * b.Count).ToArray();
        new Random(seed).Shuffle(pairs);
        var chosen = pairs.Take(n).Select(p => (I: p / b.Count, J: p % b.Count)).ToList();

        using var scope = NewDisposeScope();
        var dev = a.Raw.device;
        var ia = tensor(chosen.Select(p => (long)p.I).ToArray(), device: dev);
        var ib = tensor(chosen.Select(p => (long)p.J).ToArray(), device: dev);
        var mixed = new CrossClassMixup(lambda).Mix(a.Raw.index_select(0, ia), b.Raw.index_select(0, ib));
        var images = cat(new[] { a.Raw, b.Raw, mixed }, 0);
        long h = a.Raw.shape[2], w = a.Raw.shape[3];
        var masks = cat(new[] { zeros(a.Count + b.Count, 1, h, w, device: dev), ones(n, 1, h, w, device: dev) }, 0);
        var items = Normals(a).Concat(Normals(b))
            .Concat(chosen.Select(p => new CrossClassItem("mixup", $"{a.Category}+{b.Category}", true, a.Names[p.I], b.Names[p.J])))
            .ToList();
        return new CrossClassTestSet(images.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope(), items);
    }

    /// <summary>
    /// For each (donor, target) direction: every normal image of the target (label 0) and the same
    /// image with a rectangle cut from a random donor image pasted at a random place (label 1, mask =
    /// the rectangle; <see cref="CrossClassCutPaste"/>). Normals are those of the target categories.
    /// </summary>
    public static CrossClassTestSet CutPaste(IReadOnlyList<(CategoryImages Donor, CategoryImages Target)> directions, int seed,
                                             double minFraction = 0.1, double maxFraction = 0.3)
    {
        if (directions.Count == 0) throw new ArgumentException("cut-paste needs at least one (donor, target) direction");
        foreach (var (d, t) in directions)
        {
            SameGeometry(d, t);
            if (d.Category == t.Category) throw new ArgumentException($"cut-paste from {d.Category} onto itself is not cross-class");
        }
        var rng = new Random(seed);
        var cutPaste = new CrossClassCutPaste(minFraction, maxFraction);
        using var scope = NewDisposeScope();
        var targets = directions.Select(x => x.Target).DistinctBy(t => t.Category).ToList();
        var imgs = new List<Tensor>(); var masks = new List<Tensor>(); var items = new List<CrossClassItem>();
        foreach (var t in targets)
        {
            imgs.Add(t.Raw);
            masks.Add(zeros(t.Count, 1, t.Raw.shape[2], t.Raw.shape[3], device: t.Raw.device));
            items.AddRange(Normals(t));
        }
        foreach (var (donor, target) in directions)
        {
            var pick = Enumerable.Range(0, target.Count).Select(_ => rng.Next(donor.Count)).ToArray();
            var donors = donor.Raw.index_select(0, tensor(pick.Select(i => (long)i).ToArray(), device: donor.Raw.device));
            var r = cutPaste.Apply(target.Raw, donors, rng.Next());
            imgs.Add(r.Images); masks.Add(r.Masks);
            items.AddRange(Enumerable.Range(0, target.Count).Select(i => new CrossClassItem("cut-paste", target.Category, true, target.Names[i], donor.Names[pick[i]])));
        }
        return new CrossClassTestSet(cat(imgs, 0).MoveToOuterDisposeScope(), cat(masks, 0).MoveToOuterDisposeScope(), items);
    }

    /// <summary>Image <paramref name="i"/> as an 8-bit RGB raster (galleries).</summary>
    public Imaging.RasterImage ImageRaster(int i) => Imaging.ImageTensors.ToRaster(Images[i]);

    /// <summary>Mask <paramref name="i"/> as a one-channel 0/1 raster (galleries, contours).</summary>
    public Imaging.RasterImage MaskRaster(int i)
    {
        using var m = Masks[i, 0].to(CPU).gt(0.5f).to(ScalarType.Byte).contiguous();
        return new Imaging.RasterImage((int)m.shape[1], (int)m.shape[0], 1, m.data<byte>().ToArray());
    }

    static IEnumerable<CrossClassItem> Normals(CategoryImages c) => c.Names.Select(n => new CrossClassItem("normal", c.Category, false, n, null));

    static void SameGeometry(CategoryImages a, CategoryImages b)
    {
        if (!a.Raw.shape.Skip(1).SequenceEqual(b.Raw.shape.Skip(1)))
            throw new ArgumentException($"{a.Category} images [{string.Join(",", a.Raw.shape)}] and {b.Category} images [{string.Join(",", b.Raw.shape)}] differ in size");
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException($"{(a.Count == 0 ? a.Category : b.Category)}: no images");
    }

    public void Dispose() { Images.Dispose(); Masks.Dispose(); }
}
