using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class SeedComparisonTests
{
    static SeedStat Stat(params double[] perSeed) => SeedSummary.OfValues("m", "multi-class", "c", "PixelAuroc", perSeed);

    [Fact]
    public void SaturatedTinyGapIsNoClearDifference()
    {
        // stds round to zero; a 0.1-point gap used to count as a verdict
        var baseline = Stat(0.994, 0.994, 0.994);
        var snl = Stat(0.995, 0.995, 0.995);
        Assert.Equal(SeedDifference.NoClearDifference, SeedComparison.Compare(baseline, snl));
        Assert.Equal(SeedDifference.Better, SeedComparison.Compare(baseline, snl, minEffect: 0));
    }

    [Fact]
    public void GapMustAlsoExceedTheSeedSpread()
    {
        var baseline = Stat(0.80, 0.90, 0.85);    // std 0.05
        var candidate = Stat(0.88, 0.92, 0.90);   // std 0.02: gap 0.05 < 0.07
        Assert.Equal(SeedDifference.NoClearDifference, SeedComparison.Compare(baseline, candidate));
        var far = Stat(0.95, 0.96, 0.97);         // gap 0.11 > 0.06
        Assert.Equal(SeedDifference.Better, SeedComparison.Compare(baseline, far));
        Assert.Equal(SeedDifference.Worse, SeedComparison.Compare(far, baseline));
    }

    [Fact]
    public void OneSeedOnEitherSideGivesNoVerdict()
    {
        Assert.Equal(SeedDifference.SingleSeed, SeedComparison.Compare(Stat(0.5), Stat(0.9, 0.91)));
        Assert.Equal(SeedDifference.SingleSeed, SeedComparison.Compare(Stat(0.5, 0.51), Stat(0.9)));
    }

    [Fact]
    public void RuleTextNamesTheFloor() =>
        Assert.Contains("1 point", SeedComparison.Rule());
}
