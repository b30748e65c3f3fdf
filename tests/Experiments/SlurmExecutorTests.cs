using System.Text.RegularExpressions;
using Workbench.Engine;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Experiments;

/// <summary>
/// `--executor slurm` against a real Slurm (a single-node cluster on localhost, <see cref="SlurmCluster"/>): the
/// smoke plan of one-class-vs-multi-class with two seeds (FD, and DSKD for a two-phase method: 12 runs; the six
/// methods' 36 took 6 minutes on 2 cores, measured in the README) is submitted as one job array, one run's folder is held
/// by another process meanwhile (so its task is refused, as a race for a run folder must be), collecting lists that
/// run with its log and the command resubmitting it alone, which is then run; the second collect writes tables
/// identical to those of a local run of the same plan. Skipped without slurm-wlm/munge or root.
/// </summary>
public class SlurmExecutorTests
{
    const string Script = "one-class-vs-multi-class.fsx";
    static readonly string[] MetricColumns = ["ImageAuroc", "ImageAp", "ImageF1Max", "PixelAuroc", "PixelAp", "PixelF1Max", "Aupro", "Rd4adPro"];

    [SkippableFact]
    public void Slurm_array_collects_the_same_tables_as_a_local_run()
    {
        var reason = SlurmCluster.SkipReason();
        Skip.If(reason is not null, reason);
        using var cluster = new SlurmCluster();
        using var tmp = new TempDir();
        var dataRoot = Path.Combine(tmp.Path, "synthetic-64");
        string[] Args(string name, params string[] more) =>
            ["--preset", "quick", "--smoke", "--seeds", "0,1", "--methods", "fd,dskd", "--teacher-weights", "random", "--data-root", dataRoot,
             "--out", Path.Combine(tmp.Path, name + "-out"), "--runs", Path.Combine(tmp.Path, name + "-runs"), .. more];
        // one libtorch thread everywhere: the same thread count is what makes separately trained runs bit-identical
        var env = new Dictionary<string, string>(cluster.Environment) { ["OMP_NUM_THREADS"] = "1" };

        // another process holds one run's folder while the array runs: its task must refuse, not share the folder
        var firstCategory = DataSetup.Load(new DataConfig("synthetic", dataRoot, [], "multi-class", 64), 0).Categories.First();  // Lab.categories keeps the first two
        var heldRun = Path.Combine(tmp.Path, "slurm-runs", $"fd-one-class-{firstCategory}-64px-e1-s0");
        string resubmit;
        using (RunFolderLock.Acquire(heldRun))
        {
            var (code, output) = ExperimentScriptTests.Run(env, Script, Args("slurm", "--executor", "slurm"));
            Assert.True(code == 0, $"submit exited {code}:\n{ExperimentScriptTests.Tail(output)}");
            var submitted = Regex.Match(output, @"submitted (\d+) run\(s\) as Slurm job array");
            Assert.True(submitted.Success, ExperimentScriptTests.Tail(output));
            Assert.Equal(12, int.Parse(submitted.Groups[1].Value));  // 2 methods × (2 one-class + 1 multi-class) × 2 seeds
            Assert.False(File.Exists(Path.Combine(tmp.Path, "slurm-out", "table.md")), "submitting must not write tables");

            (code, output) = ExperimentScriptTests.Run(env, Script, Args("slurm", "--executor", "slurm", "--collect"));
            Assert.True(code != 0, "collect must fail while a run is unfinished:\n" + ExperimentScriptTests.Tail(output));
            Assert.Contains("1 run(s) of plan", output);
            Assert.Contains(heldRun, output);
            Assert.Matches(@"exit 2 on \S+ \(job \d+\)", output);
            Assert.Contains("is being written by another process", output);   // the task's own error, quoted from its log
            var line = Regex.Match(output, @"Resubmit only these: (sbatch --array=(\d+) (\S+))");
            Assert.True(line.Success, ExperimentScriptTests.Tail(output));
            resubmit = line.Groups[1].Value;
            Assert.Matches(@"logs/\d+_" + line.Groups[2].Value + @"\.log", output);
        }

        var parts = resubmit.Split(' ');
        var (sbatchCode, sbatchOutput) = cluster.Run(parts[0], parts[1..]);
        Assert.True(sbatchCode == 0, sbatchOutput);
        var (collectCode, collectOutput) = ExperimentScriptTests.Run(env, Script, Args("slurm", "--executor", "slurm", "--collect"));
        Assert.True(collectCode == 0, $"second collect exited {collectCode}:\n{ExperimentScriptTests.Tail(collectOutput)}");
        Assert.Contains("outside the trainer", collectOutput);   // the per-task overhead line

        var (localCode, localOutput) = ExperimentScriptTests.Run(env, Script, Args("local"));
        Assert.True(localCode == 0, $"local run exited {localCode}:\n{ExperimentScriptTests.Tail(localOutput)}");

        // tables, claims: byte for byte (captions included)
        var slurmOut = Path.Combine(tmp.Path, "slurm-out");
        var localOut = Path.Combine(tmp.Path, "local-out");
        var tables = Directory.GetFiles(localOut).Select(Path.GetFileName)
                              .Where(f => Regex.IsMatch(f!, @"^(table|claims).*\.(md|csv|tex)$")).ToList();
        Assert.Contains("table.csv", tables);
        Assert.Contains("claims.csv", tables);
        foreach (var f in tables)
            Assert.True(File.ReadAllText(Path.Combine(localOut, f!)) == File.ReadAllText(Path.Combine(slurmOut, f!)), $"{f} differs between the Slurm and the local run");
        // runs.csv: the same rows with the same metric values (run folders, times and dates differ by nature)
        var slurmRows = Rows(Path.Combine(slurmOut, "runs.csv"));
        var localRows = Rows(Path.Combine(localOut, "runs.csv"));
        Assert.Equal(8 * 2 + 4 * 3, localRows.Count);  // a one-class run: its category and a mean row; a multi-class run: 2 categories and a mean
        Assert.Equal(localRows.Count, slurmRows.Count);
        for (int i = 0; i < localRows.Count; i++)
            foreach (var col in MetricColumns.Concat(["Label", "Protocol", "Category", "Seed", "Threads"]))
                Assert.True(localRows[i][col] == slurmRows[i][col], $"runs.csv row {i} {col}: local {localRows[i][col]}, Slurm {slurmRows[i][col]}");
    }

    /// <summary>squeue that cannot reach a controller (a fake on PATH; no Slurm needed): the first submit writes the
    /// plan and its array.sbatch, submits nothing and says how to go on; a second submit leaves that plan untouched,
    /// because without squeue it cannot tell whether an array of it still runs.</summary>
    [Fact]
    public void A_silent_controller_leaves_a_written_plan_and_submits_nothing()
    {
        using var tmp = new TempDir();
        var bin = Directory.CreateDirectory(Path.Combine(tmp.Path, "bin")).FullName;
        var sbatchCalled = Path.Combine(tmp.Path, "sbatch-called");
        void Tool(string name, string body)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Tool("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; exit 1");
        Tool("sbatch", $"touch '{sbatchCalled}'; exit 1");
        var env = new Dictionary<string, string> { ["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH"), ["OMP_NUM_THREADS"] = "1" };
        var plan = Path.Combine(tmp.Path, "plan");
        string[] args = ["--preset", "quick", "--smoke", "--seeds", "0", "--methods", "fd", "--teacher-weights", "random",
                         "--data-root", Path.Combine(tmp.Path, "synthetic-64"), "--out", Path.Combine(tmp.Path, "out"),
                         "--runs", Path.Combine(tmp.Path, "runs"), "--executor", "slurm", "--plan", plan];

        var (code, output) = ExperimentScriptTests.Run(env, Script, args);
        Assert.True(code != 0, "a submit that could not ask the queue must fail:\n" + ExperimentScriptTests.Tail(output));
        Assert.Contains("Unable to contact slurm controller", output);
        Assert.Contains($"nothing submitted; the plan of 3 run(s) is written to {plan}", output);   // fd: 2 one-class + 1 multi-class
        Assert.Contains($"sbatch --array=0-2 {Path.Combine(plan, "array.sbatch")}", output);
        Assert.True(File.Exists(Path.Combine(plan, "array.sbatch")));
        Assert.True(File.Exists(Path.Combine(plan, "runs", "0002.json")));
        Assert.False(File.Exists(sbatchCalled), "nothing may be submitted when the queue cannot be read");

        var written = File.GetLastWriteTimeUtc(Path.Combine(plan, "plan.json"));
        (code, output) = ExperimentScriptTests.Run(env, Script, args);
        Assert.True(code != 0, ExperimentScriptTests.Tail(output));
        Assert.Contains($"so that plan is left as it is", output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(plan, "plan.json")));
        Assert.False(File.Exists(sbatchCalled));
    }

    [Theory]
    [InlineData("--partition gpu", "option --partition needs --executor slurm")]
    [InlineData("--executor local --throttle 4", "option --throttle needs --executor slurm")]
    [InlineData("--executor pbs", "option --executor: 'pbs' is not an executor (local | slurm)")]
    [InlineData("--executor local --collect", "--collect reads a Slurm plan")]
    public void Executor_options_are_checked_before_anything_runs(string options, string message)
    {
        var (code, output) = ExperimentScriptTests.Run(Script, ["--preset", "quick", "--smoke", .. options.Split(' ')]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
    }

    /// <summary>runs.csv rows as column → text (Deedle writes no quoted commas in the columns compared).</summary>
    static List<Dictionary<string, string>> Rows(string path)
    {
        var frame = Deedle.Frame.ReadCsv(path, hasHeaders: true, inferTypes: false);
        return frame.Rows.Values.Select(r => frame.ColumnKeys.ToDictionary(k => k, k => r.GetAs<string>(k))).ToList();
    }
}
