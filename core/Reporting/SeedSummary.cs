namespace Workbench.Reporting;

/// <summary>Mean and sample standard deviation of one metric over the seeds of one (label, protocol, category).</summary>
public sealed record SeedStat(string Label, string Protocol, string Category, string Metric, int Seeds, double Mean, double Std)
{
    /// <summary>"92.3 ± 0.4" in percent; a single seed prints without spread ("92.3 (1 seed)").</summary>
    public string Display => double.IsNaN(Mean) ? "–"
        : Seeds > 1 ? $"{100 * Mean:F1} ± {100 * Std:F1}" : $"{100 * Mean:F1} (1 seed)";
}

/// <summary>Papers report single runs; the workbench reports the spread over seeds (issue: seeds).</summary>
public static class SeedSummary
{
    public static IReadOnlyList<SeedStat> Of(IEnumerable<RunRow> rows, IEnumerable<string>? metrics = null)
    {
        var ms = (metrics ?? RunTable.Metrics).ToList();
        return rows.GroupBy(r => (r.Label, r.Protocol, r.Category))
            .SelectMany(g => ms.Select(m => OfValues(g.Key.Label, g.Key.Protocol, g.Key.Category, m, g.Select(r => RunTable.Metric(r, m)).ToArray())))
            .ToList();
    }

    /// <summary>Mean ± sample std of one number measured once per seed (e.g. a separability AUROC computed outside a run).</summary>
    public static SeedStat OfValues(string label, string protocol, string category, string metric, IReadOnlyList<double> perSeed)
    {
        if (perSeed.Count == 0) throw new ArgumentException($"{label} {metric}: no values");
        double mean = perSeed.Average();
        double std = perSeed.Count > 1 ? Math.Sqrt(perSeed.Sum(x => (x - mean) * (x - mean)) / (perSeed.Count - 1)) : 0;
        return new SeedStat(label, protocol, category, metric, perSeed.Count, mean, std);
    }
}
