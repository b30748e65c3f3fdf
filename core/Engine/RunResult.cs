using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbench.Metrics;

namespace Workbench.Engine;

/// <summary>One image's outcome, kept so later analysis (interference, galleries) needs no re-run.</summary>
public sealed record ImageScore(string Path, string Category, string Defect, bool IsAnomalous, double Score);

/// <summary>What a run produced: metrics (per category, mean, overall), the loss curve, per-image scores.</summary>
public sealed record RunResult(string RunDir, string Method, string Teacher, bool TeacherPretrained, EvaluationResult Metrics,
                               IReadOnlyList<EpochRecord> History, IReadOnlyList<ImageScore> Scores)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes metrics.json, metrics.csv, history.csv and scores.csv into the run folder.</summary>
    public void Write()
    {
        Directory.CreateDirectory(RunDir);
        AtomicFile.WriteAllText(Path.Combine(RunDir, "metrics.json"), JsonSerializer.Serialize(new
        {
            method = Method, teacher = Teacher, teacherPretrained = TeacherPretrained,
            mean = Metrics.Mean, overall = Metrics.Overall, perCategory = Metrics.PerCategory,
        }, Json));

        var csv = new StringBuilder("scope,category,image_auroc,image_ap,image_f1max,pixel_auroc,pixel_ap,pixel_f1max,aupro,rd4ad_pro\n");
        void Row(string scope, string cat, MetricSet m) => csv.AppendLine(string.Join(",", scope, cat,
            F(m.ImageAuroc), F(m.ImageAp), F(m.ImageF1Max), F(m.PixelAuroc), F(m.PixelAp), F(m.PixelF1Max), F(m.Aupro), m.Rd4adPro is { } pro ? F(pro) : ""));
        foreach (var (cat, m) in Metrics.PerCategory.OrderBy(kv => kv.Key)) Row("category", cat, m);
        Row("mean", "", Metrics.Mean);
        Row("overall", "", Metrics.Overall);
        AtomicFile.WriteAllText(Path.Combine(RunDir, "metrics.csv"), csv.ToString());

        var keys = History.SelectMany(h => h.Losses.Keys).Distinct().OrderBy(k => k == "loss" ? "" : k).ToList();
        var hist = new StringBuilder("phase,epoch,seconds,images_per_second," + string.Join(",", keys) + "\n");
        foreach (var h in History)
            hist.AppendLine(string.Join(",", new[] { h.Phase, h.Epoch.ToString(CultureInfo.InvariantCulture), F(h.Seconds), F(h.ImagesPerSecond) }
                .Concat(keys.Select(k => h.Losses.TryGetValue(k, out var v) ? F(v) : ""))));
        AtomicFile.WriteAllText(Path.Combine(RunDir, "history.csv"), hist.ToString());

        var sc = new StringBuilder("path,category,defect,label,score\n");
        foreach (var s in Scores)
            sc.AppendLine(string.Join(",", Quote(s.Path), s.Category, s.Defect, s.IsAnomalous ? "1" : "0", F(s.Score)));
        AtomicFile.WriteAllText(Path.Combine(RunDir, "scores.csv"), sc.ToString());
    }

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

/// <summary>Files written to a temp name and renamed into place, so readers never see half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var tmp = path + ".partial";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Copies <paramref name="content"/> (from its current position) into <paramref name="path"/>.</summary>
    public static void WriteAll(string path, Stream content)
    {
        var tmp = path + ".partial";
        using (var f = File.Create(tmp)) content.CopyTo(f);
        File.Move(tmp, path, overwrite: true);
    }
}
