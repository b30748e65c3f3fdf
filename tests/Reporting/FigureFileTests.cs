using System.Text;
using Plotly.NET;
using Workbench.Reporting;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Reporting;

public class FigureFileTests
{
    static GenericChart Bars(string[] x, double[] y)
    {
        var trace = new Trace2D("bar");
        trace.SetProperty("x", x);
        trace.SetProperty("y", y);
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>Runs <paramref name="body"/> with no usable browser, so no PNG is attempted.</summary>
    static void WithoutBrowser(TempDir d, Action body)
    {
        var old = Environment.GetEnvironmentVariable("WORKBENCH_CHROMIUM");
        try
        {
            Environment.SetEnvironmentVariable("WORKBENCH_CHROMIUM", d.File("no-such-browser"));
            body();
        }
        finally { Environment.SetEnvironmentVariable("WORKBENCH_CHROMIUM", old); }
    }

    [Fact]
    public void HtmlDeclaresUtf8WithinTheBytesBrowsersSniff()
    {
        var html = FigureFile.Html(Chart.Invisible(), 400, 300);
        var bytes = Encoding.UTF8.GetBytes(html);
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(1024, bytes.Length));
        Assert.Contains("<meta charset=\"utf-8\">", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HtmlLoadsTheSharedScriptByRelativePathAndInlinesNoPlotlyJs()
    {
        var html = FigureFile.Html(Bars(["RD", "FD"], [91.5, 87.25]), 400, 300);
        Assert.Contains($"<script src=\"{PlotlyScript.FileName}\"", html);
        Assert.DoesNotMatch("<script[^>]*src=\"(https?:)?//", html);   // nothing fetched from a CDN: opens offline
        Assert.DoesNotContain("exports.Plotly", html);                  // plotly.js's own UMD header
        Assert.True(html.Length < 50_000, $"figure HTML is {html.Length} chars: plotly.js inlined?");
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("87.25", html);
    }

    [Fact]
    public void WritingFiguresPutsOnePlotlyJsNextToThemWrittenOnce()
    {
        using var d = new TempDir();
        WithoutBrowser(d, () =>
        {
            var first = FigureFile.Write(Bars(["a"], [1.0]), d.File("one"));
            Assert.Equal(d.File(PlotlyScript.FileName), first.Script);
            using (var embedded = PlotlyScript.Open())
            using (var copy = new MemoryStream())
            {
                embedded.CopyTo(copy);
                Assert.Equal(copy.ToArray(), File.ReadAllBytes(first.Script));   // the full plotly.js, as Plotly.NET ships it
                Assert.True(copy.Length > 1_000_000);
            }
            var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(first.Script, stamp);

            var second = FigureFile.Write(Bars(["b"], [2.0]), d.File("two"));
            Assert.Equal(first.Script, second.Script);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(second.Script));   // not written again
            Assert.Single(Directory.GetFiles(d.Path, "*.js"));
            Assert.Contains($"src=\"{Path.GetFileName(second.Script)}\"", File.ReadAllText(second.Html));
        });
    }

    [Fact]
    public void FiguresInSubfoldersShareOneScriptInAnAncestorFolder()
    {
        using var d = new TempDir();
        WithoutBrowser(d, () =>
        {
            var a = FigureFile.Write(Bars(["a"], [1.0]), Path.Combine(d.Path, "exp-a", "quick", "bars"), scriptFolder: d.Path);
            var b = FigureFile.Write(Bars(["b"], [2.0]), Path.Combine(d.Path, "exp b", "bars"), scriptFolder: d.Path);
            Assert.Equal(d.File(PlotlyScript.FileName), a.Script);
            Assert.Equal(a.Script, b.Script);
            Assert.Single(Directory.GetFiles(d.Path, "*.js", SearchOption.AllDirectories));
            Assert.Contains($"<script src=\"../../{PlotlyScript.FileName}\"", File.ReadAllText(a.Html));
            Assert.Contains($"<script src=\"../{PlotlyScript.FileName}\"", File.ReadAllText(b.Html));
            // the relative URL leads from the HTML's folder to the script
            var resolved = new Uri(new Uri(b.Html), $"../{PlotlyScript.FileName}").LocalPath;
            Assert.Equal(b.Script, resolved);
        });
        Assert.Equal("../my%20figs/plotly.js", FigureFile.RelativeUrl("/r/a", "/r/my figs/plotly.js"));   // URL-escaped
    }

    /// <summary>Needs Chromium (WORKBENCH_CHROMIUM or on PATH): the PNG is drawn by the shared script two folders
    /// up, and without that script the same HTML renders blank.</summary>
    [SkippableFact]
    public void ThePngIsRenderedThroughTheRelativeScript()
    {
        Skip.If(HeadlessChromium.Find() is null, "no chromium: PNG export not exercised");
        using var d = new TempDir();
        var out1 = FigureFile.Write(Bars(["RD", "FD"], [91.5, 87.25]), Path.Combine(d.Path, "exp", "quick", "bars"), 400, 300, scriptFolder: d.Path);
        Assert.True(out1.Png is not null, out1.PngSkipped);
        Assert.True(Inked(out1.Png!) > 1000, "the PNG is blank: plotly.js did not load");

        File.Move(out1.Script, out1.Script + ".away");
        var blank = d.File("blank.png");
        Assert.True(HeadlessChromium.Screenshot(out1.Html, blank, 416, 316).Ok);
        Assert.Equal(0, Inked(blank));
    }

    /// <summary>Pixels that are not near-white.</summary>
    static int Inked(string png)
    {
        var img = Workbench.Imaging.ImageDecoder.DecodeRgb(png);
        int n = 0;
        for (int i = 0; i + 2 < img.Pixels.Length; i += 3)
            if (img.Pixels[i] < 200 || img.Pixels[i + 1] < 200 || img.Pixels[i + 2] < 200) n++;
        return n;
    }

    [Fact]
    public void ACutShortSharedScriptIsReplaced()
    {
        using var d = new TempDir();
        var path = d.File(PlotlyScript.FileName);
        File.WriteAllText(path, "/* truncated */");
        Assert.Equal(path, PlotlyScript.EnsureIn(d.Path));
        Assert.True(new FileInfo(path).Length > 1_000_000);
    }

    [Fact]
    public void Without_a_browser_the_png_is_skipped_with_a_reason_and_the_html_written()
    {
        using var d = new TempDir();
        WithoutBrowser(d, () =>
        {
            var out1 = FigureFile.Write(Bars(["a"], [1.0]), d.File("fig"));
            Assert.True(File.Exists(out1.Html));
            Assert.True(File.Exists(out1.Script));
            Assert.Null(out1.Png);
            Assert.Contains("chromium", out1.PngSkipped);
        });
    }
}
