using Workbench.Imaging;

namespace Workbench.Tests.Imaging;

public class LabelledGridTests
{
    static RasterImage Cell(byte v) { var px = new byte[40 * 30 * 3]; Array.Fill(px, v); return new RasterImage(40, 30, 3, px); }

    static int DarkPixels(RasterImage img, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                if (img[y, x, 0] < 128) n++;
        return n;
    }

    [Fact]
    public void Labels_are_drawn_in_bands_above_and_left_of_the_cells_which_keep_their_pixels()
    {
        var rows = new List<IReadOnlyList<RasterImage>> { new[] { Cell(200), Cell(210) }, new[] { Cell(220), Cell(230) } };
        var plain = PngWriter.Grid(rows);
        var labelled = LabelledGrid.Build(rows, ["FD", "RD"], ["A", "B"]);
        int top = BitmapFont.GlyphHeight * 2 + 8, left = labelled.Width - plain.Width;
        Assert.Equal(plain.Height + top, labelled.Height);
        Assert.True(left > 0);
        // the cells are copied unchanged below/right of the bands
        for (int y = 0; y < plain.Height; y++)
            for (int x = 0; x < plain.Width; x++)
                Assert.Equal(plain[y, x, 1], labelled[y + top, x + left, 1]);
        // ink in the top band over each column, and in the left band at each row
        Assert.True(DarkPixels(labelled, left, 0, left + 48, top) > 10);
        Assert.True(DarkPixels(labelled, left + 48, 0, left + 92, top) > 10);
        Assert.True(DarkPixels(labelled, 0, top, left, top + 38) > 5);
        Assert.True(DarkPixels(labelled, 0, top + 38, left, top + 72) > 5);
    }

    [Fact]
    public void Different_text_gives_different_ink_and_a_wrong_label_count_is_an_error()
    {
        var img1 = new RasterImage(60, 10, 3, new byte[60 * 10 * 3]);
        var img2 = new RasterImage(60, 10, 3, new byte[60 * 10 * 3]);
        BitmapFont.Draw(img1, 0, 0, "FD", 1, (255, 255, 255));
        BitmapFont.Draw(img2, 0, 0, "RD", 1, (255, 255, 255));
        Assert.NotEqual(img1.Pixels, img2.Pixels);
        Assert.True(BitmapFont.CanDraw("snl-fd 128 px (mask)"));
        Assert.Equal(11 * 2, BitmapFont.Measure("AB", 2));
        var rows = new List<IReadOnlyList<RasterImage>> { new[] { Cell(1), Cell(2) } };
        Assert.Throws<ArgumentException>(() => LabelledGrid.Build(rows, ["only one"], ["r"]));
    }
}
