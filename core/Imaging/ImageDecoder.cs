using StbImageSharp;

namespace Workbench.Imaging;

/// <summary>
/// Decodes PNG (gray, RGB, palette, alpha, 8 and 16 bit) and JPEG with StbImageSharp.
/// Colour images come out as RGB: grayscale is replicated to 3 channels and alpha is dropped
/// (not composited), as PIL's convert("RGB") does for the benchmarks' opaque files.
/// 16-bit samples are reduced to 8 bits (value >> 8), as stb_image does.
/// </summary>
public static class ImageDecoder
{
    public static RasterImage DecodeRgb(string path) => Decode(path, ColorComponents.RedGreenBlue, 3);

    /// <summary>Decodes to one gray channel (ITU-R 601 luma for colour files), for masks.</summary>
    public static RasterImage DecodeGray(string path) => Decode(path, ColorComponents.Grey, 1);

    static RasterImage Decode(string path, ColorComponents components, int channels)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException e) { throw new ImageReadException(path, "file not found", e); }
        catch (DirectoryNotFoundException e) { throw new ImageReadException(path, "folder not found", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ImageReadException(path, "cannot read: " + e.Message, e); }
        if (bytes.Length == 0) throw new ImageReadException(path, "empty file");
        ImageResult img;
        try { img = ImageResult.FromMemory(bytes, components); }
        catch (Exception e) { throw new ImageReadException(path, "not a decodable PNG/JPEG image (" + e.Message + ")", e); }
        if (img == null || img.Data == null || img.Width <= 0 || img.Height <= 0)
            throw new ImageReadException(path, "not a decodable PNG/JPEG image");
        return new RasterImage(img.Width, img.Height, channels, img.Data);
    }
}
