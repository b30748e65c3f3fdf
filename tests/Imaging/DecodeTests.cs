using StbImageWriteSharp;
using Workbench.Imaging;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Imaging;

public class DecodeTests
{
    // 2×2 images with known values in every format the benchmarks use.
    static string Write(TempDir d, string name, byte[] bytes) { var p = d.File(name); File.WriteAllBytes(p, bytes); return p; }

    [Fact]
    public void Rgb8()
    {
        using var d = new TempDir();
        var p = Write(d, "rgb.png", PngEncoder.Encode(2, 1, 2, 8, new ushort[] { 10, 20, 30, 200, 150, 100 }));
        var img = ImageDecoder.DecodeRgb(p);
        Assert.Equal((2, 1, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(new byte[] { 10, 20, 30, 200, 150, 100 }, img.Pixels);
    }

    [Fact]
    public void Gray8IsReplicatedToThreeChannels()
    {
        using var d = new TempDir();
        var p = Write(d, "g.png", PngEncoder.Encode(2, 1, 0, 8, new ushort[] { 7, 250 }));
        Assert.Equal(new byte[] { 7, 7, 7, 250, 250, 250 }, ImageDecoder.DecodeRgb(p).Pixels);
        Assert.Equal(new byte[] { 7, 250 }, ImageDecoder.DecodeGray(p).Pixels);
    }

    [Fact]
    public void PaletteIsExpanded()
    {
        using var d = new TempDir();
        var palette = new byte[] { 255, 0, 0, 0, 0, 255 };
        var p = Write(d, "p.png", PngEncoder.Encode(2, 1, 3, 8, new ushort[] { 1, 0 }, palette));
        Assert.Equal(new byte[] { 0, 0, 255, 255, 0, 0 }, ImageDecoder.DecodeRgb(p).Pixels);
    }

    [Fact]
    public void AlphaIsDroppedNotComposited()
    {
        using var d = new TempDir();
        var rgba = Write(d, "a.png", PngEncoder.Encode(1, 1, 6, 8, new ushort[] { 100, 110, 120, 0 }));
        Assert.Equal(new byte[] { 100, 110, 120 }, ImageDecoder.DecodeRgb(rgba).Pixels);
        var ga = Write(d, "ga.png", PngEncoder.Encode(1, 1, 4, 8, new ushort[] { 90, 10 }));
        Assert.Equal(new byte[] { 90, 90, 90 }, ImageDecoder.DecodeRgb(ga).Pixels);
    }

    [Fact]
    public void SixteenBitIsReducedToHighByte()
    {
        using var d = new TempDir();
        var rgb16 = Write(d, "r16.png", PngEncoder.Encode(1, 1, 2, 16, new ushort[] { 0x1234, 0xABCD, 0xFF00 }));
        Assert.Equal(new byte[] { 0x12, 0xAB, 0xFF }, ImageDecoder.DecodeRgb(rgb16).Pixels);
        var g16 = Write(d, "g16.png", PngEncoder.Encode(2, 1, 0, 16, new ushort[] { 0x0000, 0xFFFF }));
        Assert.Equal(new byte[] { 0, 255 }, ImageDecoder.DecodeGray(g16).Pixels);
    }

    [Fact]
    public void JpegDecodesCloseToSource()
    {
        using var d = new TempDir();
        // A flat colour survives JPEG almost exactly; write it with StbImageWriteSharp at quality 100.
        var px = Enumerable.Repeat(new byte[] { 200, 60, 30 }, 16 * 16).SelectMany(b => b).ToArray();
        var p = d.File("c.jpg");
        using (var fs = File.Create(p)) new ImageWriter().WriteJpg(px, 16, 16, ColorComponents.RedGreenBlue, fs, 100);
        var img = ImageDecoder.DecodeRgb(p);
        Assert.Equal((16, 16), (img.Width, img.Height));
        for (int i = 0; i < img.Pixels.Length; i++) Assert.InRange(Math.Abs(img.Pixels[i] - px[i]), 0, 3);
    }

    [Fact]
    public void MissingFileErrorNamesThePath()
    {
        var e = Assert.Throws<ImageReadException>(() => ImageDecoder.DecodeRgb("/nonexistent/dir/img_042.png"));
        Assert.Contains("/nonexistent/dir/img_042.png", e.Message);
    }

    [Fact]
    public void CorruptFileErrorNamesThePath()
    {
        using var d = new TempDir();
        var good = PngEncoder.Encode(4, 4, 2, 8, new ushort[48]);
        var p = Write(d, "broken.png", good.Take(good.Length / 2).ToArray());
        var e = Assert.Throws<ImageReadException>(() => ImageDecoder.DecodeRgb(p));
        Assert.Contains("broken.png", e.Message);
        var t = Write(d, "text.png", System.Text.Encoding.ASCII.GetBytes("not an image at all"));
        Assert.Contains("text.png", Assert.Throws<ImageReadException>(() => ImageDecoder.DecodeRgb(t)).Message);
    }
}
