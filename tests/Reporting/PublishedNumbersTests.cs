using Workbench.Reporting;
using Workbench.Tests.Experiments;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Reporting;

/// <summary>paper-tables' matching: a published PRO meets only our number of the same definition.</summary>
public class PublishedNumbersTests
{
    static IReadOnlyList<PublishedNumber> Committed() =>
        PublishedNumbers.Read(Path.Combine(ExperimentScriptTests.RepoRoot, "experiments", "published-numbers.csv"));

    static readonly string[] Ours = ["ImageAuroc", "PixelAuroc", "Aupro", "Rd4adPro"];

    static IEnumerable<string> MatchedBy(PublishedNumber q) =>
        Ours.Where(m => PublishedNumbers.Matches(q, q.Method, q.Dataset, q.Protocol, q.Category, m));

    [Fact]
    public void RD4ADs_published_PRO_pairs_with_our_RD4AD_PRO_never_our_AUPRO()
    {
        var pro = Committed().Single(q => q is { Method: "rd", Dataset: "mvtec", Protocol: "one-class", Category: "mean", Metric: PublishedNumbers.Pro });
        Assert.Equal(93.9, pro.Value);
        Assert.Equal(ProDefinition.Rd4adPro, pro.Definition);
        Assert.False(PublishedNumbers.Matches(pro, "rd", "mvtec", "one-class", "mean", "Aupro"));
        Assert.True(PublishedNumbers.Matches(pro, "rd", "mvtec", "one-class", "mean", "Rd4adPro"));
    }

    [Fact]
    public void Every_published_PRO_names_its_definition_and_pairs_only_with_that_definition()
    {
        var pros = Committed().Where(q => q.Metric == PublishedNumbers.Pro).ToList();
        Assert.NotEmpty(pros);
        foreach (var q in pros)
        {
            string[] expected = q.Definition switch
            {
                ProDefinition.Rd4adPro => ["Rd4adPro"],
                ProDefinition.MvtecAupro => ["Aupro"],
                _ => [],                                   // ADer's and DMDD's: no number of ours is computed that way
            };
            Assert.Equal(expected, MatchedBy(q));
        }
        // the ADer rerun's PRO is cflow-ad's single-curve grid PRO, not MVTec AUPRO: no Δ against our AUPRO
        Assert.All(pros.Where(q => q.Source.Contains("ADer")), q => Assert.Equal(ProDefinition.AderPro, q.Definition));
    }

    [Fact]
    public void AUROCs_pair_with_the_same_metric_in_the_same_setting_only()
    {
        var bottle = Committed().Single(q => q is { Method: "rd", Category: "bottle", Metric: "PixelAuroc" });
        Assert.Equal(["PixelAuroc"], MatchedBy(bottle));
        Assert.False(PublishedNumbers.Matches(bottle, "rd", "mvtec", "multi-class", "bottle", "PixelAuroc"));
        Assert.False(PublishedNumbers.Matches(bottle, "fd", "mvtec", "one-class", "bottle", "PixelAuroc"));
    }

    [Theory]
    [InlineData("Pro,,93.9", "a PRO needs its definition")]
    [InlineData("Pro,mvtec,93.9", "a PRO needs its definition")]
    [InlineData("Aupro,,93.9", "write a published PRO/AUPRO as metric Pro")]
    [InlineData("Aupro,mvtec-aupro,93.9", "write a published PRO/AUPRO as metric Pro")]
    [InlineData("ImageAuroc,rd4ad-pro,98.5", "a definition is for Pro rows only")]
    [InlineData("Accuracy,,98.5", "unknown metric 'Accuracy'")]
    public void A_row_that_could_be_compared_with_the_wrong_number_fails_naming_its_line(string metricDefinitionValue, string message)
    {
        using var d = new TempDir();
        var csv = d.File("published.csv");
        File.WriteAllLines(csv, [
            "method,dataset,protocol,category,metric,definition,value,backbone,image_size,epochs,source",
            "rd,mvtec,one-class,mean,PixelAuroc,,97.8,wide_resnet50_2,256,200,\"RD4AD, Table 2\"",
            $"rd,mvtec,one-class,mean,{metricDefinitionValue},wide_resnet50_2,256,200,\"RD4AD, Table 2\"",
        ]);
        var e = Assert.Throws<InvalidDataException>(() => PublishedNumbers.Read(csv));
        Assert.Contains(message, e.Message);
        Assert.Contains("line 3", e.Message);
    }
}
