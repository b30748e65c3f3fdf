using System.Globalization;
using Deedle;

namespace Workbench.Reporting;

/// <summary>One number a paper published (percent), with its setting and source. <see cref="Metric"/> is a
/// <see cref="RunTable.Metrics"/> name, or <see cref="PublishedNumbers.Pro"/> for any region-overlap score, whose
/// <see cref="Definition"/> (a <see cref="ProDefinition"/>) says how it was computed; other metrics leave it empty.</summary>
public sealed record PublishedNumber(string Method, string Dataset, string Protocol, string Category, string Metric, string Definition,
    double Value, string Backbone, string ImageSize, string Epochs, string Source);

/// <summary>How a published PRO was computed. The definitions give different numbers for the same maps
/// (core/Metrics/README.md), so a published PRO is compared only with our number of the same definition.</summary>
public static class ProDefinition
{
    /// <summary>RD4AD's <c>compute_pro</c> per anomalous image, averaged (hq-deng/RD4AD test.py): the PRO RD4AD
    /// and DSKD publish. Ours: <c>Rd4adPro</c>.</summary>
    public const string Rd4adPro = "rd4ad-pro";
    /// <summary>MVTec AD AUPRO: one curve over the test set, every score a threshold, area to FPR 0.3 / 0.3. Ours: <c>Aupro</c>.</summary>
    public const string MvtecAupro = "mvtec-aupro";
    /// <summary>ADer's <c>cal_pro_score</c> (taken from cflow-ad): one curve per category over all its images, 200 grid
    /// thresholds, FPR &lt; 0.3 rescaled min–max. Neither of ours: never compared.</summary>
    public const string AderPro = "ader-pro";
    /// <summary>The paper does not say which, and no code of it shows it (DMDD). Never compared.</summary>
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All = [Rd4adPro, MvtecAupro, AderPro, Unknown];
}

/// <summary>experiments/published-numbers.csv, and which of our numbers each published one may be compared with.</summary>
public static class PublishedNumbers
{
    /// <summary>The metric name of a published region-overlap score (PRO, AUPRO), whatever its definition.</summary>
    public const string Pro = "Pro";

    static readonly string[] Columns = ["method", "dataset", "protocol", "category", "metric", "definition", "value", "backbone", "image_size", "epochs", "source"];

    /// <summary>The rows of the csv. A PRO without a known definition, a definition on another metric, or an
    /// unknown metric fails, naming the line: an unlabelled PRO would be compared with the wrong number.</summary>
    public static IReadOnlyList<PublishedNumber> Read(string csvPath)
    {
        var frame = Frame.ReadCsv(csvPath, hasHeaders: true, inferTypes: false);
        var missing = Columns.Except(frame.ColumnKeys).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{csvPath}: missing column(s) {string.Join(", ", missing)}");
        var numbers = new List<PublishedNumber>();
        foreach (var (key, row) in frame.Rows.Observations.Select(kv => (kv.Key, kv.Value)))
        {
            string Get(string column) => row.TryGetAs<string>(column) is { HasValue: true } v ? v.Value.Trim() : "";
            string where = $"{csvPath} line {key + 2}";
            var q = new PublishedNumber(Get("method"), Get("dataset"), Get("protocol"), Get("category"), Get("metric"), Get("definition"),
                double.Parse(Get("value"), CultureInfo.InvariantCulture), Get("backbone"), Get("image_size"), Get("epochs"), Get("source"));
            if (q.Metric == Pro && !ProDefinition.All.Contains(q.Definition))
                throw new InvalidDataException($"{where}: a PRO needs its definition ({string.Join(" | ", ProDefinition.All)}), got '{q.Definition}'");
            if (q.Metric is "Aupro" or "Rd4adPro")
                throw new InvalidDataException($"{where}: write a published PRO/AUPRO as metric {Pro} with its definition, not '{q.Metric}'");
            if (q.Metric != Pro && !RunTable.Metrics.Contains(q.Metric))
                throw new InvalidDataException($"{where}: unknown metric '{q.Metric}' ({Pro} or one of {string.Join(", ", RunTable.Metrics)})");
            if (q.Metric != Pro && q.Definition.Length > 0)
                throw new InvalidDataException($"{where}: a definition is for {Pro} rows only, got '{q.Definition}' on {q.Metric}");
            numbers.Add(q);
        }
        return numbers;
    }

    /// <summary>Our <see cref="RunTable.Metrics"/> name computed the same way as <paramref name="q"/>, or null when we compute none.</summary>
    public static string? OurMetric(PublishedNumber q) => q.Metric != Pro ? q.Metric : q.Definition switch
    {
        ProDefinition.Rd4adPro => "Rd4adPro",
        ProDefinition.MvtecAupro => "Aupro",
        _ => null,
    };

    /// <summary>Same method, dataset, protocol and category (the metric aside).</summary>
    public static bool SameSetting(PublishedNumber q, string method, string dataset, string protocol, string category) =>
        q.Method == method && q.Dataset == dataset && q.Protocol == protocol && q.Category == category;

    /// <summary>Whether <paramref name="q"/> is the published counterpart of our <paramref name="ourMetric"/> in that setting:
    /// the same setting and, for a PRO, the same definition (RD4AD's PRO never meets our AUPRO).</summary>
    public static bool Matches(PublishedNumber q, string method, string dataset, string protocol, string category, string ourMetric) =>
        SameSetting(q, method, dataset, protocol, category) && OurMetric(q) == ourMetric;
}
