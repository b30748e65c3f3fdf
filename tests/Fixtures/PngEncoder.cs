using System.IO.Compression;
using System.Text;

namespace Workbench.Tests.Fixtures;

/// <summary>
/// A minimal PNG encoder written for the tests, so each colour type and bit depth the decoder
/// must handle can be produced with known pixel values (PNG spec, ISO/IEC 15948: IHDR, PLTE,
/// IDAT with filter type 0 on every row, IEND; CRC-32 over type + data).
/// </summary>
public static class PngEncoder
{
    /// <param name="colorType">0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA</param>
    /// <param name="samples">row-major samples, channels interleaved (palette: indices)</param>
    public static byte[] Encode(int width, int height, int colorType, int bitDepth, ushort[] samples, byte[]? palette = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentException("color type") };
        int bytesPerSample = bitDepth == 16 ? 2 : 1;
        using var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int i = 0; i < width * channels; i++)
            {
                ushort v = samples[y * width * channels + i];
                if (bytesPerSample == 2) { raw.WriteByte((byte)(v >> 8)); raw.WriteByte((byte)v); }
                else raw.WriteByte((byte)v);
            }
        }
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zs);

        using var png = new MemoryStream();
        png.Write(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
        var ihdr = new byte[13];
        WriteBE(ihdr, 0, (uint)width); WriteBE(ihdr, 4, (uint)height);
        ihdr[8] = (byte)bitDepth; ihdr[9] = (byte)colorType;
        Chunk(png, "IHDR", ihdr);
        if (palette != null) Chunk(png, "PLTE", palette);
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4]; WriteBE(len, 0, (uint)data.Length); s.Write(len);
        var td = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(td);
        var crc = new byte[4]; WriteBE(crc, 0, Crc32(td)); s.Write(crc);
    }

    static void WriteBE(byte[] b, int o, uint v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }

    static uint Crc32(byte[] data)
    {
        uint c = 0xffffffff;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xffffffff;
    }
}
