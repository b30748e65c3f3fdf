using Workbench.Imaging;

namespace Workbench.Reporting;

/// <summary>One gallery row: the image, its ground-truth mask (or null) and named maps [H·W] at the image size.</summary>
public sealed record MapGalleryRow(RasterImage Image, RasterImage? Mask, IReadOnlyList<float[]> Maps);

/// <summary>
/// Side-by-side anomaly maps: per row the image with its ground-truth contour (red), then each map
/// as a jet overlay with the same contour. Each map is scaled min–max within its own cell, so the
/// picture shows where in the image a map is high (centre vs edge), not how high across images.
/// Cells are enlarged by an integer factor (nearest) so 64 px images stay readable.
/// </summary>
public static class MapGallery
{
    /// <param name="maskColumn">add the ground-truth mask itself (white on black) as the second column</param>
    /// <param name="mapNames">names of the maps (e.g. methods): with them, the image carries column labels
    /// ("image", "mask", then these) and the row labels, so it stands alone in a report</param>
    /// <param name="rowLabels">one label per row (e.g. category and defect); used with <paramref name="mapNames"/></param>
    public static RasterImage Build(IReadOnlyList<MapGalleryRow> rows, int scale = 3, float alpha = 0.6f, bool maskColumn = false,
                                    IReadOnlyList<string>? mapNames = null, IReadOnlyList<string>? rowLabels = null)
    {
        var grid = new List<IReadOnlyList<RasterImage>>();
        foreach (var row in rows)
        {
            int w = row.Image.Width, h = row.Image.Height;
            var cells = new List<RasterImage> { Outline(row.Image, row.Mask) };
            if (maskColumn) cells.Add(MaskCell(row.Mask, w, h));
            foreach (var map in row.Maps)
            {
                float lo = map.Min(), hi = map.Max();
                cells.Add(Outline(Heatmap.Overlay(row.Image, Heatmap.Colorize(map, h, w, lo, hi), alpha), row.Mask));
            }
            grid.Add(cells.Select(c => Enlarge(c, scale)).ToList());
        }
        if (mapNames is null) return PngWriter.Grid(grid);
        var columns = new List<string> { "image" };
        if (maskColumn) columns.Add("mask");
        columns.AddRange(mapNames);
        return LabelledGrid.Build(grid, columns, rowLabels ?? rows.Select(_ => "").ToList());
    }

    /// <summary>A mask as an RGB cell: white where nonzero, black elsewhere (all black without a mask).</summary>
    static RasterImage MaskCell(RasterImage? mask, int w, int h)
    {
        var px = new byte[w * h * 3];
        if (mask is not null)
            for (int i = 0; i < w * h; i++)
                if (mask.Pixels[i * mask.Channels] != 0) px[3 * i] = px[3 * i + 1] = px[3 * i + 2] = 255;
        return new RasterImage(w, h, 3, px);
    }

    static RasterImage Outline(RasterImage img, RasterImage? mask) => mask is null ? img : Heatmap.Contour(img, mask, (255, 0, 0));

    /// <summary>Nearest-neighbour enlargement by an integer factor.</summary>
    public static RasterImage Enlarge(RasterImage img, int k)
    {
        if (k <= 1) return img;
        int w = img.Width * k, h = img.Height * k, c = img.Channels;
        var px = new byte[w * h * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Array.Copy(img.Pixels, ((y / k) * img.Width + x / k) * c, px, (y * w + x) * c, c);
        return new RasterImage(w, h, c, px);
    }
}
