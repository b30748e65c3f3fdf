using Deedle;
using Plotly.NET;
using Workbench.Cli.Notebooks;
using Workbench.Imaging;
using Workbench.Reporting;

namespace Workbench.Tests.Notebooks;

public class CellOutputFormatterTests
{
    [Fact]
    public void PlainValuesAreFSharpText()
    {
        var f = new CellOutputFormatter();
        Assert.Equal("42", f.Format(42)["text/plain"]);
        Assert.Equal("[|1; 2|]", f.Format(new[] { 1, 2 })["text/plain"]);
        Assert.Single(f.Format("hi"));
    }

    [Fact]
    public void FrameBecomesHtmlTable()
    {
        var frame = Deedle.Frame.FromRecords(new[] { new Row("fd", 0.9), new Row("rd<x>", 0.85) });
        var bundle = new CellOutputFormatter().Format(frame);
        var html = bundle["text/html"];
        Assert.StartsWith("<table>", html);
        Assert.Contains("<th>Method</th>", html);
        Assert.Contains("<td>rd&lt;x&gt;</td>", html);
        Assert.Contains("<td>0.85</td>", html);
        Assert.Contains("2 rows × 2 columns", html);
        Assert.Contains("Auroc", bundle["text/plain"]);
    }

    [Fact]
    public void ChartsInlinePlotlyOnce()
    {
        var f = new CellOutputFormatter();
        var first = f.Format(Chart.Invisible())["text/html"];
        var second = f.Format(Chart.Invisible())["text/html"];
        Assert.Contains("plotly.js v", first);
        Assert.Contains("Plotly.newPlot", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.Contains("Plotly.newPlot", second);
    }

    public sealed record Row(string Method, double Auroc);

    [Fact]
    public void PngImageBecomesBase64Png()
    {
        var png = PngImage.FromRaster(new RasterImage(2, 2, 3, new byte[12]));
        var bundle = new CellOutputFormatter().Format(png);
        var bytes = Convert.FromBase64String(bundle["image/png"]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Contains("PngImage", bundle["text/plain"]);
    }
}
