using Deedle;
using Plotly.NET;
using Workbench.Reporting;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Reporting;

public class TableAndFigureTests
{
    public sealed record Row(string Method, double Auroc, string Note);

    static Frame<int, string> Sample() => Deedle.Frame.FromRecords(new[]
    {
        new Row("RD", 0.9123, "a|b"), new Row("SNL_RD", double.NaN, "x, y"),
    });

    [Fact]
    public void Markdown_latex_and_csv_hold_the_same_cells_escaped_for_each_format()
    {
        using var d = new TempDir();
        var files = TableFile.Write(Sample(), d.File("t"), "Caption ± std", "F2");
        Assert.Equal(3, files.Count);
        var md = File.ReadAllLines(d.File("t.md"));
        Assert.Equal("Caption ± std", md[0]);
        Assert.Equal("| Method | Auroc | Note |", md[2]);
        Assert.Equal("| RD | 0.91 | a\\|b |", md[4]);
        Assert.Equal("| SNL_RD | – | x, y |", md[5]);
        var tex = File.ReadAllText(d.File("t.tex"));
        Assert.Contains("\\caption{Caption $\\pm$ std}", tex);
        Assert.Contains("SNL\\_RD & – & x, y \\\\", tex);
        var csv = File.ReadAllLines(d.File("t.csv"));
        Assert.Equal(new[] { "Method,Auroc,Note", "RD,0.91,a|b", "SNL_RD,–,\"x, y\"" }, csv);
    }

    [Fact]
    public void Seed_stat_display_shows_spread_only_with_several_seeds()
    {
        Assert.Equal("91.2 ± 0.5", new SeedStat("rd", "one-class", "mean", "ImageAuroc", 3, 0.9123, 0.0051).Display);
        Assert.Equal("91.2 (1 seed)", new SeedStat("rd", "one-class", "mean", "ImageAuroc", 1, 0.9123, 0).Display);
        Assert.Equal("–", new SeedStat("rd", "one-class", "mean", "Aupro", 3, double.NaN, 0).Display);
    }

    static GenericChart Bars(string[] x, double[] y)
    {
        var trace = new Trace2D("bar");
        trace.SetProperty("x", x);
        trace.SetProperty("y", y);
        return GenericChart.ofTraceObject(true, trace);
    }

    [Fact]
    public void Figure_html_is_self_contained_and_carries_the_data()
    {
        var chart = Bars(["RD", "FD"], [91.5, 87.25]);
        var html = FigureFile.SelfContainedHtml(chart, 400, 300);
        Assert.DoesNotMatch("<script[^>]*src=\"https?://", html);   // nothing fetched from a CDN
        Assert.Contains("Plotly.newPlot", html);
        Assert.True(html.Length > 1_000_000, "plotly.js should be inlined");
        Assert.Contains("87.25", html);
    }

    [Fact]
    public void Without_a_browser_the_png_is_skipped_with_a_reason_and_the_html_written()
    {
        using var d = new TempDir();
        var old = Environment.GetEnvironmentVariable("WORKBENCH_CHROMIUM");
        try
        {
            Environment.SetEnvironmentVariable("WORKBENCH_CHROMIUM", d.File("no-such-browser"));
            var chart = Bars(["a"], [1.0]);
            var out1 = FigureFile.Write(chart, d.File("fig"));
            Assert.True(File.Exists(out1.Html));
            Assert.Null(out1.Png);
            Assert.Contains("chromium", out1.PngSkipped);
        }
        finally { Environment.SetEnvironmentVariable("WORKBENCH_CHROMIUM", old); }
    }
}
