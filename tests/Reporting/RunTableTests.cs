using System.Text.Json.Nodes;
using Workbench.Engine;
using Workbench.Metrics;
using Workbench.Reporting;
using Workbench.Tests.Experiments;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Reporting;

/// <summary>RD4AD's PRO in run tables: read when a run computed it, NaN when it did not or predates it.</summary>
public class RunTableTests
{
    static MetricSet Set(double aupro, double? pro) => new(0.9, 0.8, 0.7, 0.95, 0.5, 0.4, aupro, pro);

    /// <summary>A run folder as the Trainer leaves it: manifest.json (the fields RunTable reads) and RunResult.Write's files.</summary>
    static string RunFolder(TempDir d, string name, double? proA, double? proB)
    {
        var dir = d.File(name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), """
            { "Config": { "Method": { "method": "rd", "Epochs": 3 }, "Data": { "Protocol": "multi-class", "ImageSize": 64 }, "Seed": 1 },
              "Teacher": "resnet18", "TeacherPretrained": false }
            """);
        var perCategory = new Dictionary<string, MetricSet> { ["a"] = Set(0.60, proA), ["b"] = Set(0.80, proB) };
        var mean = Set(0.70, proA is { } x && proB is { } y ? (x + y) / 2 : null);
        new RunResult(dir, "rd", "resnet18", false, new EvaluationResult(mean, mean, perCategory), [], []).Write();
        return dir;
    }

    [Fact]
    public void A_run_that_computed_RD4AD_PRO_carries_it_next_to_AUPRO()
    {
        using var d = new TempDir();
        var rows = RunTable.Read("rd", RunFolder(d, "run", 0.90, 0.96));
        Assert.Equal(new[] { "a", "b", "mean" }, rows.Select(r => r.Category));
        Assert.Equal(new[] { 0.90, 0.96 }, rows.Take(2).Select(r => r.Rd4adPro));
        Assert.Equal(0.93, rows[2].Rd4adPro, 12);
        Assert.Equal(0.60, rows[0].Aupro);
        Assert.Equal(0.96, RunTable.Metric(rows[1], "Rd4adPro"));
        Assert.Equal("Rd4adPro", RunTable.Metrics[RunTable.Metrics.ToList().IndexOf("Aupro") + 1]);
        Assert.Contains("Rd4adPro", RunTable.Load([("rd", d.File("run"))]).ColumnKeys);

        var mean = RunTable.MeanOverCategories(rows).Single();
        Assert.Equal(0.93, mean.Rd4adPro, 12);
    }

    [Fact]
    public void A_run_without_RD4AD_PRO_reads_NaN_whether_null_or_absent()
    {
        using var d = new TempDir();
        var notComputed = RunFolder(d, "null", null, null);                  // "Rd4adPro": null
        Assert.All(RunTable.Read("rd", notComputed), r => Assert.True(double.IsNaN(r.Rd4adPro)));

        var older = RunFolder(d, "absent", null, null);                      // written before the field existed
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(older, "metrics.json")))!;
        foreach (var set in new[] { json["mean"]!, json["overall"]!, json["perCategory"]!["a"]!, json["perCategory"]!["b"]! })
            set.AsObject().Remove("Rd4adPro");
        File.WriteAllText(Path.Combine(older, "metrics.json"), json.ToJsonString());
        var rows = RunTable.Read("rd", older);
        Assert.All(rows, r => Assert.True(double.IsNaN(r.Rd4adPro)));
        Assert.Equal(0.80, rows[1].Aupro);
        Assert.True(double.IsNaN(RunTable.MeanOverCategories(rows).Single().Rd4adPro));
    }

    [Theory]
    [InlineData(0.90, 0.96)]
    [InlineData(null, null)]
    public void The_metrics_csv_fallback_reads_the_10_column_header_empty_or_filled(double? proA, double? proB)
    {
        using var d = new TempDir();
        var dir = RunFolder(d, "run", proA, proB);
        var fromJson = RunTable.Read("rd", dir);
        File.Delete(Path.Combine(dir, "metrics.json"));
        Assert.EndsWith(",aupro,rd4ad_pro", File.ReadLines(Path.Combine(dir, "metrics.csv")).First());
        Assert.Equal(fromJson, RunTable.Read("rd", dir));
    }

    [Fact]
    public void The_metrics_csv_fallback_still_reads_the_old_9_column_header()
    {
        using var d = new TempDir();
        var dir = RunFolder(d, "run", 0.90, 0.96);
        File.Delete(Path.Combine(dir, "metrics.json"));
        var csv = Path.Combine(dir, "metrics.csv");
        File.WriteAllLines(csv, File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]));   // drop rd4ad_pro, as before it existed
        var rows = RunTable.Read("rd", dir);
        Assert.Equal(new[] { 0.60, 0.80, 0.70 }, rows.Select(r => r.Aupro));
        Assert.All(rows, r => Assert.True(double.IsNaN(r.Rd4adPro)));
    }

    [Fact]
    public void Every_committed_run_folder_still_loads()
    {
        var results = Path.Combine(ExperimentScriptTests.RepoRoot, "results");
        var folders = Directory.EnumerateFiles(results, "manifest.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName)
            .Where(dir => File.Exists(Path.Combine(dir!, "metrics.json")) || File.Exists(Path.Combine(dir!, "metrics.csv"))).ToList();
        Assert.NotEmpty(folders);
        foreach (var dir in folders)
        {
            var rows = RunTable.Read("committed", dir!);
            Assert.Contains(rows, r => r.Category == "mean" && !double.IsNaN(r.ImageAuroc));
        }
    }

    [Fact]
    public void Rows_carry_how_the_run_was_trained_and_name_SNL_by_its_base()
    {
        using var d = new TempDir();
        var dir = d.File("snl");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), """
            { "Config": { "Method": { "method": "snl", "Base": "fd", "Epochs": 2 }, "Data": { "Protocol": "multi-class", "ImageSize": 64 }, "Seed": 0 },
              "Teacher": "resnet18", "TeacherPretrained": true, "GitCommit": "abc123-dirty", "Threads": 2, "Device": "cpu",
              "StartedUtc": "2026-11-28T09:00:00Z" }
            """);
        var set = Set(0.7, null);
        var history = new List<EpochRecord>
        {
            new("students", 1, new() { ["loss"] = 1.0 }, 12.5, 10),
            new("students", 2, new() { ["loss"] = 0.5 }, 7.5, 10),
        };
        new RunResult(dir, "snl", "resnet18", true, new EvaluationResult(set, set, new Dictionary<string, MetricSet> { ["a"] = set }), history, []).Write();

        var rows = RunTable.Read("snl-fd", dir);
        Assert.All(rows, r =>
        {
            Assert.Equal("snl-fd", r.Method);
            Assert.Equal("abc123-dirty", r.GitCommit);
            Assert.True(r.Dirty);
            Assert.Equal(2, r.Threads);
            Assert.Equal("cpu", r.Device);
            Assert.Equal(20.0, r.TrainSeconds, 9);   // both epochs, whatever process trained them
            Assert.Equal("2026-11-28T09:00:00Z", r.StartedUtc);
        });
        Assert.Contains("GitCommit", RunTable.Load([("snl-fd", dir)]).ColumnKeys);
        Assert.Equal(new[] { "category", "run mean" }, rows.Select(r => r.Kind));
    }
}
