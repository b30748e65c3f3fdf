using StbImageWriteSharp;
using Workbench.Imaging;

namespace Workbench.Reporting;

/// <summary>
/// An encoded PNG to show: the notebook runner writes it as an <c>image/png</c> output (recognised
/// by type). Elsewhere it is a plain object holding bytes, so notebooks stay plain F#.
/// </summary>
public sealed record PngImage(byte[] Bytes)
{
    public static PngImage FromFile(string path) => new(File.ReadAllBytes(path));

    public static PngImage FromRaster(RasterImage img)
    {
        var comps = img.Channels switch
        {
            1 => ColorComponents.Grey,
            3 => ColorComponents.RedGreenBlue,
            4 => ColorComponents.RedGreenBlueAlpha,
            _ => throw new ArgumentException($"cannot encode a {img.Channels}-channel PNG"),
        };
        using var ms = new MemoryStream();
        new ImageWriter().WritePng(img.Pixels, img.Width, img.Height, comps, ms);
        return new PngImage(ms.ToArray());
    }

    public void Save(string path) => File.WriteAllBytes(path, Bytes);

    public override string ToString() => $"PngImage ({Bytes.Length} bytes)";
}
