namespace Workbench.Imaging;

/// <summary>An 8-bit image in row-major HWC layout (Channels = 3 for RGB, 1 for masks).</summary>
public sealed record RasterImage(int Width, int Height, int Channels, byte[] Pixels)
{
    public byte this[int y, int x, int c] => Pixels[(y * Width + x) * Channels + c];
}

/// <summary>A file that could not be read as an image; the message names the file.</summary>
public sealed class ImageReadException(string path, string reason, Exception? inner = null)
    : IOException($"{path}: {reason}", inner)
{
    public string Path { get; } = path;
}
