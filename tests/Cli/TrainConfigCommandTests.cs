using Workbench.Data;
using Workbench.Engine;
using Workbench.Methods.Fd;
using Workbench.Tests.Engine;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Cli;

/// <summary>`workbench train --config FILE`: what one Slurm array task runs. Idempotent: a second call reuses the run.</summary>
public class TrainConfigCommandTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    [Fact]
    public void A_config_file_trains_its_run_once_and_then_reuses_it()
    {
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        var config = new RunConfig
        {
            Data = new DataConfig("synthetic", data.Root, [MvtecLayout.Categories(data.Root)[0]], "one-class", 64),
            Method = new FdConfig { Teacher = "resnet18", TeacherWeights = "random", Epochs = 1 },
            BatchSize = 4, Device = "cpu", OutDir = Path.Combine(d.Path, "elsewhere"), MaxStepsPerEpoch = 1,
        };
        var file = d.File("run.json");
        RunConfigFile.Write(config, file);

        var (code, output) = CliProcess.Run("train", "--config", file, "--out", dir);
        Assert.True(code == 0, output);
        Assert.Contains($"trained: {dir}", output);
        Assert.True(RunStore.IsFinished(dir, config));   // --out moved it; the run is the file's config
        Assert.False(Directory.Exists(config.OutDir));

        (code, output) = CliProcess.Run("train", "--config", file, "--out", dir);
        Assert.True(code == 0, output);
        Assert.Contains($"reused: {dir}", output);
    }

    [Fact]
    public void A_run_option_next_to_a_config_file_is_refused_naming_both()
    {
        using var d = new TempDir();
        var (code, output) = CliProcess.Run("train", "--config", d.File("run.json"), "--method", "fd");
        Assert.Equal(2, code);
        Assert.Contains("--config", output);
        Assert.Contains("--method", output);
        (code, output) = CliProcess.Run("train", "--config", d.File("missing.json"));
        Assert.Equal(2, code);
        Assert.Contains(d.File("missing.json"), output);
    }
}
