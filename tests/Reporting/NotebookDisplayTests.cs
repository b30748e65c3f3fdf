using Deedle;
using Plotly.NET;
using Workbench.Imaging;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class NotebookDisplayTests
{
    public sealed record Row(string Method, double Auroc);

    [Fact]
    public void FrameBecomesHtmlTable()
    {
        var frame = Deedle.Frame.FromRecords(new[] { new Row("fd", 0.9), new Row("rd<x>", 0.85) });
        var html = new NotebookDisplay().Html(frame);
        Assert.StartsWith("<table>", html);
        Assert.Contains("<th>Method</th>", html);
        Assert.Contains("<td>rd&lt;x&gt;</td>", html);
        Assert.Contains("<td>0.85</td>", html);
        Assert.Contains("2 rows × 2 columns", html);
    }

    [Fact]
    public void ChartsInlinePlotlyOnce()
    {
        var display = new NotebookDisplay();
        var first = display.Html(Chart.Invisible());
        var second = display.Html(Chart.Invisible());
        Assert.Contains("plotly.js v", first);
        Assert.Contains("Plotly.newPlot", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.Contains("Plotly.newPlot", second);
    }

    [Fact]
    public void PngImageBecomesBase64Png()
    {
        var png = PngImage.FromRaster(new RasterImage(2, 2, 3, new byte[12]));
        var bytes = Convert.FromBase64String(NotebookDisplay.PngBase64(png));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [Fact]
    public void OtherValuesAreRefused() =>
        Assert.Contains("no HTML for System.Int32", Assert.Throws<ArgumentException>(() => new NotebookDisplay().Html(42)).Message);
}
