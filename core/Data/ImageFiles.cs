using StbImageSharp;

namespace Workbench.Data;

/// <summary>Listing image files and reading their sizes from the header (no full decode), so
/// loaders can check "mask size = image size" and readability up front, naming the file.</summary>
public static class ImageFiles
{
    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp" };

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Image files directly in <paramref name="dir"/>, sorted ordinally (stable across machines).</summary>
    public static List<string> List(string dir) =>
        Directory.EnumerateFiles(dir).Where(IsImage).OrderBy(p => p, StringComparer.Ordinal).ToList();

    /// <summary>Width and height from the file header; throws <see cref="DatasetException"/> naming the file.</summary>
    public static (int Width, int Height) Size(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            var info = ImageInfo.FromStream(fs);
            if (info is not { } i || i.Width <= 0 || i.Height <= 0)
                throw new DatasetException(path, "not a readable PNG/JPEG/BMP image");
            return (i.Width, i.Height);
        }
        catch (IOException e) when (e is not DatasetException) { throw new DatasetException(path, "cannot read: " + e.Message); }
        catch (UnauthorizedAccessException e) { throw new DatasetException(path, "cannot read: " + e.Message); }
    }

    /// <summary>Checks every image is readable and every mask matches its image's size.</summary>
    public static void CheckReadable(IEnumerable<AnomalySample> samples)
    {
        foreach (var s in samples)
        {
            if (InMemoryImages.IsMemoryPath(s.ImagePath)) continue;
            var size = Size(s.ImagePath);
            if (s.MaskPath == null) continue;
            var m = Size(s.MaskPath);
            if (m != size)
                throw new DatasetException(s.MaskPath, $"mask is {m.Width}×{m.Height} but its image {s.ImagePath} is {size.Width}×{size.Height}");
        }
    }
}
