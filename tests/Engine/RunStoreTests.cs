using Workbench.Data;
using Workbench.Engine;
using Workbench.Methods.Fd;
using Workbench.Reporting;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine;

/// <summary>Run-or-reuse (experiments) and reading run folders back into tables, on real tiny runs.</summary>
public class RunStoreTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    RunConfig Config(string outDir, int epochs, int seed = 5) => new()
    {
        Data = new DataConfig("synthetic", data.Root, new[] { MvtecLayout.Categories(data.Root)[0] }, "one-class", 64),
        Method = new FdConfig { Teacher = "resnet18", TeacherWeights = "random", Epochs = epochs },
        Seed = seed, BatchSize = 4, Device = "cpu", OutDir = outDir,
    };

    static readonly Trainer Quiet = new(LineProgressSink.Silent, TextWriter.Null);

    [Fact]
    public void A_finished_run_with_the_same_config_is_reused_and_a_changed_config_retrains()
    {
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        var (_, first) = RunStore.Ensure(Quiet, Config(dir, 1), TextWriter.Null);
        Assert.Equal(RunOutcome.Trained, first);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir, "metrics.json"));

        var (_, second) = RunStore.Ensure(Quiet, Config(dir, 1), TextWriter.Null);
        Assert.Equal(RunOutcome.Reused, second);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir, "metrics.json")));

        // the same run reached through another path (a link, another work tree) is still the same run
        Assert.True(RunStore.SameConfig(dir, Config(Path.Combine(d.Path, "elsewhere", "run"), 1)));
        Assert.False(RunStore.SameConfig(dir, Config(dir, 1, seed: 6)));
        Assert.False(RunStore.SameConfig(dir, Config(dir, 2)));
        var (_, third) = RunStore.Ensure(Quiet, Config(dir, 2), TextWriter.Null);
        Assert.Equal(RunOutcome.Trained, third);
        Assert.True(RunStore.SameConfig(dir, Config(dir, 2)));
    }

    [Fact]
    public void A_killed_run_resumes_from_its_checkpoint()
    {
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        Quiet.Run(Config(dir, 2));
        File.Delete(Path.Combine(dir, "metrics.json"));   // as if killed after the last checkpoint, before evaluation
        var (_, outcome) = RunStore.Ensure(Quiet, Config(dir, 2), TextWriter.Null);
        Assert.Equal(RunOutcome.Resumed, outcome);
        Assert.True(File.Exists(Path.Combine(dir, "metrics.json")));
    }

    [Fact]
    public void Run_rows_carry_the_runs_facts_and_metrics()
    {
        using var d = new TempDir();
        var a = Quiet.Run(Config(Path.Combine(d.Path, "a"), 1, seed: 1));
        var b = Quiet.Run(Config(Path.Combine(d.Path, "b"), 1, seed: 2));
        var rows = RunTable.Read("FD", a.RunDir).Concat(RunTable.Read("FD", b.RunDir)).ToList();
        var category = MvtecLayout.Categories(data.Root)[0];
        Assert.Equal(new[] { category, "mean", category, "mean" }, rows.Select(r => r.Category));
        var r1 = rows[0];
        Assert.Equal(("fd", "one-class", 1, 64, 1, false), (r1.Method, r1.Protocol, r1.Seed, r1.ImageSize, r1.Epochs, r1.TeacherPretrained));
        Assert.Equal(a.Metrics.PerCategory[category].ImageAuroc, r1.ImageAuroc);
        Assert.Equal(a.Metrics.PerCategory[category].Aupro, r1.Aupro);

        var stat = SeedSummary.Of(rows.Where(r => r.Category == category), ["ImageAuroc"]).Single();
        Assert.Equal(2, stat.Seeds);
        double x = a.Metrics.Mean.ImageAuroc, y = b.Metrics.Mean.ImageAuroc;
        Assert.Equal((x + y) / 2, stat.Mean, 12);
        Assert.Equal(Math.Abs(x - y) / Math.Sqrt(2), stat.Std, 12);   // sample std of two values

        var frame = RunTable.Load([("FD", a.RunDir), ("FD", b.RunDir)]);
        Assert.Equal(4, frame.RowCount);
        Assert.Contains("PixelAuroc", frame.ColumnKeys);
    }

    [Fact]
    public void A_run_folder_with_only_metrics_csv_reads_the_same_rows()
    {
        using var d = new TempDir();
        var a = Quiet.Run(Config(Path.Combine(d.Path, "a"), 1, seed: 1));
        var fromJson = RunTable.Read("FD", a.RunDir);
        File.Delete(Path.Combine(a.RunDir, "metrics.json"));   // as in results/quick
        var fromCsv = RunTable.Read("FD", a.RunDir);
        Assert.Equal(fromJson, fromCsv);
    }

    [Fact]
    public void Reading_an_unfinished_run_names_the_missing_file()
    {
        using var d = new TempDir();
        Directory.CreateDirectory(d.File("empty"));
        var e = Assert.Throws<FileNotFoundException>(() => RunTable.Read("x", d.File("empty")));
        Assert.Contains("manifest.json", e.Message);
    }
}
