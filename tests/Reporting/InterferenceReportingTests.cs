using Workbench.Imaging;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class InterferenceReportingTests
{
    static RasterImage Grey(int w, int h) => new(w, h, 3, Enumerable.Repeat((byte)128, w * h * 3).ToArray());

    [Fact]
    public void MapGalleryMaskColumnAddsOneWhiteOnBlackCell()
    {
        var mask = new RasterImage(4, 4, 1, new byte[16]);
        mask.Pixels[5] = 1;
        var row = new MapGalleryRow(Grey(4, 4), mask, new[] { new float[16] });
        var plain = MapGallery.Build(new[] { row }, scale: 1);
        var withMask = MapGallery.Build(new[] { row }, scale: 1, maskColumn: true);
        Assert.Equal(plain.Width + 4 + 4, withMask.Width);                   // one more 4-px cell and gap
        // grid cells sit at 4 + c·(4 + 4) px: the mask cell (c = 1) starts at x = 12, y = 4; its (1,1) is white, (0,0) black
        Assert.Equal(255, withMask[4 + 1, 12 + 1, 0]);
        Assert.Equal(0, withMask[4, 12, 0]);
    }

    [Fact]
    public void FigureHtmlDeclaresUtf8WithinTheFirstBytes()
    {
        var html = "<!DOCTYPE html>\n<html><head><script>" + new string('x', 5000) + "</script><meta charset=\"UTF-8\"></head></html>";
        var fixedHtml = FigureFile.DeclareUtf8(html);
        Assert.InRange(fixedHtml.IndexOf("<meta charset=\"utf-8\">", StringComparison.Ordinal), 0, 1024);
        Assert.StartsWith("<!DOCTYPE html>", fixedHtml);
    }

    [Fact]
    public void SeedValuesGiveMeanAndSampleStd()
    {
        var s = SeedSummary.OfValues("fd", "multi-class", "mixup", "Separability", new[] { 0.5, 0.7, 0.6 });
        Assert.Equal(0.6, s.Mean, 12);
        Assert.Equal(0.1, s.Std, 12);
        Assert.Equal("60.0 ± 10.0", s.Display);
        Assert.Equal("50.0 (1 seed)", SeedSummary.OfValues("fd", "", "", "", new[] { 0.5 }).Display);
        Assert.Throws<ArgumentException>(() => SeedSummary.OfValues("fd", "", "", "", Array.Empty<double>()));
    }
}
