using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deedle;

namespace Workbench.Reporting;

/// <summary>One run's metrics for one category (or "mean" over its categories), with the facts that
/// identify the run. Metrics are in [0,1] as computed; tables scale them to percent. <see cref="Rd4adPro"/>
/// (RD4AD's per-image PRO, Metrics/Rd4adPro) is NaN when the run did not compute it (RunConfig.Rd4adPro off,
/// or a folder from before it was recorded); it defaults to NaN so rows built from older runs.csv files still construct.</summary>
public sealed record RunRow(
    string Label, string Method, string Protocol, string Category, int Seed, int ImageSize, int Epochs,
    string Teacher, bool TeacherPretrained, string RunDir,
    double ImageAuroc, double ImageAp, double ImageF1Max, double PixelAuroc, double PixelAp, double PixelF1Max, double Aupro,
    double Rd4adPro = double.NaN)
{
    /// <summary>The same row naming its run folder differently (e.g. relative to the repository for committed tables).</summary>
    public RunRow WithRunDir(string runDir) => this with { RunDir = runDir };

    /// <summary>"category" for a per-category row, "run mean" for the run's mean over its categories (a one-class
    /// run's equals its one category: average one-class runs with <see cref="RunTable.MeanOverCategories"/>, not these).</summary>
    public string Kind => Category == "mean" ? "run mean" : "category";

    // Provenance of the training, carried from the run's own manifest so a table built later (reusing the
    // run) still says when, from which commit, with how many threads, on what and in how long it was trained.
    /// <summary>Commit the run was trained from; "-dirty" when the tree had uncommitted changes.</summary>
    public string GitCommit { get; init; } = "unknown";
    public bool Dirty => GitCommit.EndsWith("-dirty", StringComparison.Ordinal);
    public int Threads { get; init; }
    public string Device { get; init; } = "";
    /// <summary>Seconds spent training, summed over phases (the epochs of this process and of earlier ones it resumed).</summary>
    public double TrainSeconds { get; init; } = double.NaN;
    public string StartedUtc { get; init; } = "";
}

/// <summary>
/// Reads run folders (manifest.json + metrics.json, as the Trainer writes them) into rows and Deedle
/// frames. Everything a table or figure shows is traceable to these folders.
/// </summary>
public static class RunTable
{
    /// <summary>The metric columns of <see cref="RunRow"/>, in table order.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["ImageAuroc", "ImageAp", "ImageF1Max", "PixelAuroc", "PixelAp", "PixelF1Max", "Aupro", "Rd4adPro"];

    /// <summary>Rows of one run: one per category plus one with Category = "mean".</summary>
    /// <param name="label">the experiment's name for the run (method variant), e.g. "SNL-RD −CRAM"</param>
    public static IReadOnlyList<RunRow> Read(string label, string runDir)
    {
        var manifestPath = Path.Combine(runDir, "manifest.json");
        var metricsPath = Path.Combine(runDir, "metrics.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"run folder {runDir} has no manifest.json", manifestPath);
        var csvPath = Path.Combine(runDir, "metrics.csv");
        // Older committed run folders (results/quick) kept only metrics.csv.
        if (!File.Exists(metricsPath) && !File.Exists(csvPath))
            throw new FileNotFoundException($"run folder {runDir} has no metrics.json (unfinished run?)", metricsPath);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var metrics = File.Exists(metricsPath) ? JsonNode.Parse(File.ReadAllText(metricsPath))! : MetricsFromCsv(csvPath);
        var cfg = manifest["Config"]!;
        string method = cfg["Method"]!["method"]!.GetValue<string>();
        string protocol = cfg["Data"]!["Protocol"]!.GetValue<string>();
        int size = cfg["Data"]!["ImageSize"]!.GetValue<int>();
        int seed = cfg["Seed"]!.GetValue<int>();
        int epochs = cfg["Method"]!["Epochs"]?.GetValue<int>() ?? 0;
        string teacher = manifest["Teacher"]!.GetValue<string>();
        bool pretrained = manifest["TeacherPretrained"]!.GetValue<bool>();
        // SNL is one config class with a base; its rows name the method as the CLI and the scripts do
        if (method == "snl" && cfg["Method"]!["Base"] is JsonNode b) method = "snl-" + b.ToString().ToLowerInvariant();
        var provenance = Workbench.Engine.RunProvenance.From(manifest, runDir);

        RunRow Row(string category, JsonNode m) => new(label, method, protocol, category, seed, size, epochs, teacher, pretrained, runDir,
            Num(m, "ImageAuroc"), Num(m, "ImageAp"), Num(m, "ImageF1Max"), Num(m, "PixelAuroc"), Num(m, "PixelAp"), Num(m, "PixelF1Max"), Num(m, "Aupro"),
            OptionalNum(m, "Rd4adPro"))
        {
            GitCommit = provenance.GitCommit, Threads = provenance.Threads, Device = provenance.Device,
            TrainSeconds = provenance.TrainSeconds, StartedUtc = provenance.StartedUtc,
        };

        var rows = new List<RunRow>();
        foreach (var (cat, m) in metrics["perCategory"]!.AsObject().OrderBy(kv => kv.Key, StringComparer.Ordinal))
            rows.Add(Row(cat, m!));
        rows.Add(Row("mean", metrics["mean"]!));
        return rows;
    }

    /// <summary>All rows of several labelled runs as a Deedle frame (one row per run × category).</summary>
    public static Frame<int, string> Load(IEnumerable<(string Label, string RunDir)> runs) =>
        Frame.FromRecords(runs.SelectMany(r => Read(r.Label, r.RunDir)));

    /// <summary>
    /// The MVTec-style mean over categories for runs that each cover one category (one-class):
    /// per (label, protocol, seed), the average of the per-category rows, as Category = "mean" rows.
    /// Rows already named "mean" are ignored (a one-class run's own mean repeats its category).
    /// </summary>
    public static IReadOnlyList<RunRow> MeanOverCategories(IEnumerable<RunRow> rows) =>
        rows.Where(r => r.Category != "mean")
            .GroupBy(r => (r.Label, r.Protocol, r.Seed))
            .Select(g => g.First() with
            {
                Category = "mean", RunDir = string.Join(";", g.Select(r => r.RunDir).Distinct()),
                ImageAuroc = g.Average(r => r.ImageAuroc), ImageAp = g.Average(r => r.ImageAp), ImageF1Max = g.Average(r => r.ImageF1Max),
                PixelAuroc = g.Average(r => r.PixelAuroc), PixelAp = g.Average(r => r.PixelAp), PixelF1Max = g.Average(r => r.PixelF1Max),
                Aupro = g.Average(r => r.Aupro), Rd4adPro = g.Average(r => r.Rd4adPro),
            })
            .ToList();

    /// <summary>The value of a metric column by name.</summary>
    public static double Metric(RunRow row, string metric) => metric switch
    {
        "ImageAuroc" => row.ImageAuroc, "ImageAp" => row.ImageAp, "ImageF1Max" => row.ImageF1Max,
        "PixelAuroc" => row.PixelAuroc, "PixelAp" => row.PixelAp, "PixelF1Max" => row.PixelF1Max, "Aupro" => row.Aupro,
        "Rd4adPro" => row.Rd4adPro,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", Metrics)}", nameof(metric)),
    };

    /// <summary>metrics.csv (scope,category,image_auroc,…; RunResult.Write) in metrics.json's shape: perCategory + mean.
    /// Two headers exist: without rd4ad_pro (folders written before it) and with it (empty = not computed).</summary>
    static JsonNode MetricsFromCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        string[] withoutPro = ["scope", "category", "image_auroc", "image_ap", "image_f1max", "pixel_auroc", "pixel_ap", "pixel_f1max", "aupro"];
        string[] withPro = [.. withoutPro, "rd4ad_pro"];
        if (!header.SequenceEqual(withoutPro) && !header.SequenceEqual(withPro))
            throw new InvalidDataException($"{path}: unexpected header '{lines[0]}'");
        var perCategory = new JsonObject();
        JsonObject? mean = null;
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length != header.Length) throw new InvalidDataException($"{path}: {f.Length} fields for {header.Length} columns in '{line}'");
            var m = new JsonObject();
            for (int i = 2; i < header.Length; i++)
                if (f[i].Length > 0) m[Metrics[i - 2]] = double.Parse(f[i], CultureInfo.InvariantCulture);
            if (f[0] == "category") perCategory[f[1]] = m;
            else if (f[0] == "mean") mean = m;
        }
        return new JsonObject { ["perCategory"] = perCategory, ["mean"] = mean ?? throw new InvalidDataException($"{path}: no mean row") };
    }

    // NaN is written as the JSON string "NaN" (AllowNamedFloatingPointLiterals).
    static double Num(JsonNode m, string key)
    {
        var v = m[key] ?? throw new InvalidDataException($"metrics.json lacks '{key}'");
        return v.GetValueKind() == JsonValueKind.String ? double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture) : v.GetValue<double>();
    }

    // An optional metric: absent (older folders) or null (not computed) reads as NaN.
    static double OptionalNum(JsonNode m, string key) => m[key] is null ? double.NaN : Num(m, key);
}
