using Deedle;
using Workbench.Reporting;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Reporting;

public class TableFileTests
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
}
