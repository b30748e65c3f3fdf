using Workbench.Data.Synthetic;
using Workbench.Imaging;

namespace Workbench.Data.Synthesis;

/// <summary>Where texture noise takes its anomaly appearance A from.</summary>
public interface ITextureSource
{
    /// <summary>One texture at h×w, chosen with <paramref name="rng"/>.</summary>
    RasterImage Sample(Random rng, int height, int width);
}

/// <summary>Textures from image files under a folder, searched recursively (DTD layout:
/// images/&lt;class&gt;/*.jpg), resized to the image size as DRAEM/DSKD do. Decodes go through the store.</summary>
public sealed class FolderTextureSource : ITextureSource
{
    readonly IReadOnlyList<string> files;
    readonly ImageStore store;

    public FolderTextureSource(string dir, ImageStore? store = null)
    {
        if (!Directory.Exists(dir)) throw new DatasetException(dir, "texture folder not found");
        files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(ImageFiles.IsImage)
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DatasetException(dir, "texture folder has no .jpg/.png images");
        this.store = store ?? new ImageStore();
    }

    public int Count => files.Count;

    public RasterImage Sample(Random rng, int height, int width) =>
        store.Load(new ImageRequest(files[rng.Next(files.Count)], height, width, IsMask: false));
}

/// <summary>The default: the workbench's own procedural textures, drawn with wider variation
/// (colours, periods, orientations) than the benchmark's categories.</summary>
public sealed class ProceduralTextureSource : ITextureSource
{
    public RasterImage Sample(Random rng, int height, int width)
    {
        int side = Math.Max(height, width);
        var kind = TextureRenderer.Kinds[rng.Next(TextureRenderer.Kinds.Count)];
        var img = TextureRenderer.Render(kind, side, new Random(rng.Next()), variation: 4).ToRaster();
        // Random colour permutation so the source is not just the benchmark's palettes.
        var perm = new[] { 0, 1, 2 }.OrderBy(_ => rng.Next()).ToArray();
        var px = new byte[height * width * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    px[(y * width + x) * 3 + c] = img.Pixels[(y * side + x) * 3 + perm[c]];
        return new RasterImage(width, height, 3, px);
    }
}
