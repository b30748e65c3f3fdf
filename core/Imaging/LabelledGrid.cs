namespace Workbench.Imaging;

/// <summary>
/// <see cref="PngWriter.Grid"/> with a band of column labels on top and row labels on the left, drawn into the
/// image (<see cref="BitmapFont"/>), so a gallery copied into a report still says what each row and column is.
/// Labels longer than their cell are cut with a trailing '.'.
/// </summary>
public static class LabelledGrid
{
    public static RasterImage Build(IReadOnlyList<IReadOnlyList<RasterImage>> rows, IReadOnlyList<string> columnLabels,
                                    IReadOnlyList<string> rowLabels, int gap = 4, int textScale = 2)
    {
        var grid = PngWriter.Grid(rows, gap);
        int cols = rows.Max(r => r.Count);
        if (columnLabels.Count != cols) throw new ArgumentException($"{columnLabels.Count} column labels for {cols} columns");
        if (rowLabels.Count != rows.Count) throw new ArgumentException($"{rowLabels.Count} row labels for {rows.Count} rows");
        int cw = rows[0][0].Width, ch = rows[0][0].Height;
        int lineH = BitmapFont.GlyphHeight * textScale;
        int top = lineH + 2 * gap;
        int charW = (BitmapFont.GlyphWidth + BitmapFont.Spacing) * textScale;
        int maxRowChars = Math.Max(1, 240 / charW);                        // a row label band of at most ~240 px
        var rowText = rowLabels.Select(l => Fit(l, maxRowChars)).ToList();
        int left = rowText.Count == 0 ? 0 : rowText.Max(l => BitmapFont.Measure(l, textScale)) + 2 * gap;

        int W = grid.Width + left, H = grid.Height + top;
        var px = new byte[W * H * 3];
        Array.Fill(px, (byte)255);
        for (int y = 0; y < grid.Height; y++)
            Array.Copy(grid.Pixels, y * grid.Width * 3, px, ((y + top) * W + left) * 3, grid.Width * 3);
        var image = new RasterImage(W, H, 3, px);

        var ink = ((byte)0, (byte)0, (byte)0);
        int maxColChars = Math.Max(1, (cw + gap) / charW);
        for (int c = 0; c < cols; c++)
        {
            var text = Fit(columnLabels[c], maxColChars);
            int x0 = left + gap + c * (cw + gap);
            BitmapFont.Draw(image, x0 + Math.Max(0, (cw - BitmapFont.Measure(text, textScale)) / 2), gap, text, textScale, ink);
        }
        for (int r = 0; r < rows.Count; r++)
        {
            int y0 = top + gap + r * (ch + gap);
            BitmapFont.Draw(image, gap, y0 + (ch - lineH) / 2, rowText[r], textScale, ink);
        }
        return image;
    }

    static string Fit(string text, int maxChars) => text.Length <= maxChars ? text : text[..Math.Max(1, maxChars - 1)] + ".";
}
