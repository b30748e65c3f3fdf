using StbImageWriteSharp;

namespace Workbench.Imaging;

/// <summary>Writes rasters as PNG (atomically: a temp file renamed into place) and tiles them into grids.</summary>
public static class PngWriter
{
    public static void Write(string path, RasterImage img)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
        {
            var comps = img.Channels switch
            {
                1 => ColorComponents.Grey,
                3 => ColorComponents.RedGreenBlue,
                4 => ColorComponents.RedGreenBlueAlpha,
                _ => throw new ArgumentException($"{path}: cannot write {img.Channels}-channel PNG"),
            };
            new ImageWriter().WritePng(img.Pixels, img.Width, img.Height, comps, fs);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Tiles equally sized RGB images row by row with a white gap.</summary>
    public static RasterImage Grid(IReadOnlyList<IReadOnlyList<RasterImage>> rows, int gap = 4)
    {
        if (rows.Count == 0 || rows[0].Count == 0) throw new ArgumentException("grid needs at least one image");
        int cw = rows[0][0].Width, chh = rows[0][0].Height;
        int cols = rows.Max(r => r.Count);
        int W = cols * cw + (cols + 1) * gap, H = rows.Count * chh + (rows.Count + 1) * gap;
        var px = new byte[W * H * 3];
        Array.Fill(px, (byte)255);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < rows[r].Count; c++)
            {
                var img = rows[r][c];
                if (img.Width != cw || img.Height != chh || img.Channels != 3)
                    throw new ArgumentException($"grid cell ({r},{c}) is {img.Width}×{img.Height}×{img.Channels}, expected {cw}×{chh}×3");
                int ox = gap + c * (cw + gap), oy = gap + r * (chh + gap);
                for (int y = 0; y < chh; y++)
                    Array.Copy(img.Pixels, y * cw * 3, px, ((oy + y) * W + ox) * 3, cw * 3);
            }
        return new RasterImage(W, H, 3, px);
    }
}
