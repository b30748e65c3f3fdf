namespace Workbench.Reporting;

/// <summary>Outcome of comparing a candidate method with its baseline over seeds.</summary>
public enum SeedDifference { SingleSeed, Better, Worse, NoClearDifference }

/// <summary>
/// The one rule the claim tables use: a difference counts only when it is larger than both the two seed
/// stds together and a minimum effect size. The effect floor matters when stds round to zero (saturated
/// metrics near 100 %): without it a 0.1-point gap over three seeds would get a verdict.
/// </summary>
public static class SeedComparison
{
    /// <summary>Default minimum effect: one point on the 0–1 metric scale.</summary>
    public const double DefaultMinEffect = 0.01;

    public static SeedDifference Compare(SeedStat baseline, SeedStat candidate, double minEffect = DefaultMinEffect)
    {
        if (minEffect < 0) throw new ArgumentOutOfRangeException(nameof(minEffect), minEffect, "minimum effect must be ≥ 0");
        if (baseline.Seeds < 2 || candidate.Seeds < 2) return SeedDifference.SingleSeed;
        double diff = candidate.Mean - baseline.Mean;
        double threshold = Math.Max(baseline.Std + candidate.Std, minEffect);
        return diff > threshold ? SeedDifference.Better
             : diff < -threshold ? SeedDifference.Worse
             : SeedDifference.NoClearDifference;
    }

    /// <summary>The rule in words, for table captions.</summary>
    public static string Rule(double minEffect = DefaultMinEffect) =>
        $"a difference counts when it exceeds both the sum of the two seed stds and {100 * minEffect:0.#} point{(Math.Abs(100 * minEffect - 1) < 1e-9 ? "" : "s")}";
}
