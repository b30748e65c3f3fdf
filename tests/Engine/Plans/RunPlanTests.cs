using System.Text.Json;
using Workbench.Engine;
using Workbench.Engine.Plans;
using Workbench.Methods;
using Workbench.Methods.Dskd;
using Workbench.Methods.Fd;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine.Plans;

/// <summary>Plan folders (one run config file per run) and the Slurm array script over them; the array itself
/// runs against a real Slurm in Experiments/SlurmExecutorTests.</summary>
public class RunPlanTests
{
    static RunConfig Config(string outDir, MethodConfig method, int seed = 0) => new()
    {
        Data = new DataConfig("synthetic", "runs/data/synthetic-64", ["grainy"], "one-class", 64),
        Method = method, Seed = seed, BatchSize = 4, OutDir = outDir, MaxStepsPerEpoch = 2, Rd4adPro = true,
    };

    [Fact]
    public void A_planned_config_file_is_the_same_run_for_RunStore()
    {
        using var d = new TempDir();
        var config = Config(Path.Combine(d.Path, "runs", "a"), MethodOptions.Apply(new DskdConfig { Teacher = "resnet18", TeacherWeights = "random" }, ["FusionSteps=3"]));
        var plan = RunPlan.Write(Path.Combine(d.Path, "plan"), [("dskd", config), ("fd", Config(Path.Combine(d.Path, "runs", "b"), new FdConfig())),
                                                               ("dskd again", config)]);
        Assert.Equal(2, plan.Runs.Count);                       // the same run folder twice is planned once
        Assert.Equal(plan.Runs, RunPlan.Read(plan.Folder).Runs);
        var read = RunConfigFile.Read(plan.ConfigFile(0));
        Assert.Equal(Path.Combine(d.Path, "runs", "a"), read.OutDir);
        Assert.IsType<DskdConfig>(read.Method);
        // a run trained from the file records it in its manifest; RunStore must see the script's config there
        Directory.CreateDirectory(config.OutDir);
        File.WriteAllText(Path.Combine(config.OutDir, "manifest.json"), JsonSerializer.Serialize(new { Config = JsonDocument.Parse(File.ReadAllText(plan.ConfigFile(0))).RootElement }));
        Assert.True(RunStore.SameConfig(config.OutDir, config));
        Assert.False(RunStore.SameConfig(config.OutDir, config with { Seed = 1 }));
    }

    [Fact]
    public void A_bad_config_file_is_named_in_the_error()
    {
        using var d = new TempDir();
        var path = d.File("run.json");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => RunConfigFile.Read(path)).Message);
        File.WriteAllText(path, "{ \"Data\": 3 }");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => RunConfigFile.Read(path)).Message);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3, 7 }, 0, "0-3,7")]
    [InlineData(new[] { 5, 3, 4, 9, 11, 10 }, 2, "3-5,9-11%2")]
    [InlineData(new[] { 4 }, 0, "4")]
    public void Array_spec_is_ranges_with_the_throttle(int[] indices, int throttle, string expected) =>
        Assert.Equal(expected, SlurmArray.ArraySpec(indices, throttle));

    [Fact]
    public void The_array_script_trains_the_task_config_and_records_its_exit()
    {
        using var d = new TempDir();
        var plan = RunPlan.Write(Path.Combine(d.Path, "plan"), [("fd", Config(Path.Combine(d.Path, "runs", "a"), new FdConfig()))]);
        var cli = d.File("workbench.dll");
        File.WriteAllText(cli, "");
        var script = File.ReadAllText(SlurmArray.WriteScript(plan, new SlurmOptions(Partition: "gpu", GpusPerTask: 1, CpusPerTask: 8, Time: "02:00:00", Throttle: 4),
                                                             "/usr/bin/dotnet", cli, d.Path));
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains("#SBATCH --gpus-per-task=1\n", script);
        Assert.Contains("#SBATCH --cpus-per-task=8\n", script);
        Assert.Contains("#SBATCH --time=02:00:00\n", script);
        Assert.Contains($"#SBATCH --job-name={SlurmArray.JobName(plan.Folder)}\n", script);
        Assert.Contains($"'/usr/bin/dotnet' '{cli}' train --config \"$plan/runs/$i.json\"", script);
        Assert.Contains("status/$i.exit", script);
        Assert.Equal($"sbatch --array=0%4 {Path.Combine(plan.Folder, "array.sbatch")}", SlurmArray.SubmitCommand(plan, [0], 4));
        Assert.NotEqual(SlurmArray.JobName(plan.Folder), SlurmArray.JobName(Path.Combine(d.Path, "other", "plan")));
    }

    [Fact]
    public void Paths_sbatch_cannot_carry_and_a_missing_cli_are_refused()
    {
        using var d = new TempDir();
        var plan = RunPlan.Write(Path.Combine(d.Path, "my plan"), [("fd", Config(Path.Combine(d.Path, "runs", "a"), new FdConfig()))]);
        var cli = d.File("workbench.dll");
        File.WriteAllText(cli, "");
        Assert.Contains("my plan", Assert.Throws<ArgumentException>(() => SlurmArray.WriteScript(plan, new SlurmOptions(), "dotnet", cli, d.Path)).Message);
        var ok = RunPlan.Write(Path.Combine(d.Path, "plan"), [("fd", Config(Path.Combine(d.Path, "runs", "a"), new FdConfig()))]);
        var missing = d.File("bin/workbench.dll");
        var e = Assert.Throws<FileNotFoundException>(() => SlurmArray.WriteScript(ok, new SlurmOptions(), "dotnet", missing, d.Path));
        Assert.Contains(missing, e.Message);
        Assert.Contains("dotnet build", e.Message);
    }
}
