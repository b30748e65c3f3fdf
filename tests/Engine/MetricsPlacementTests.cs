using System.Text.Json.Nodes;
using Workbench.Engine;
using Workbench.Methods.Rd;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

/// <summary>Where the trainer computes metrics (Trainer.MetricsDevice): the training device by default, or the CPU.</summary>
public class MetricsPlacementTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    [Fact]
    public void AutoIsTheTrainingDeviceCpuIsTheCpuAnythingElseIsAnError()
    {
        var cuda = new Device(TorchSharp.DeviceType.CUDA, 1);
        Assert.Equal(cuda, MetricsPlacement.Resolve("auto", cuda));
        Assert.Equal(CPU, MetricsPlacement.Resolve("CPU", cuda));
        var e = Assert.Throws<ArgumentException>(() => MetricsPlacement.Resolve("gpu", cuda));
        Assert.Contains("--metrics-device gpu", e.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void MetricsOnTheDeviceMatchMetricsOnTheCpu(string deviceName)
    {
        TestDevices.Get(deviceName);
        using var d = new TempDir();
        var config = new RunConfig
        {
            Data = new DataConfig("synthetic", data.Root, new[] { Workbench.Data.MvtecLayout.Categories(data.Root)[0] }, "one-class", 64),
            Method = new RdConfig { Teacher = "resnet18", TeacherWeights = "random", Epochs = 1 },
            Seed = 5, BatchSize = 4, Device = deviceName, OutDir = Path.Combine(d.Path, "run"),
        };
        var trained = new Trainer(Workbench.Engine.LineProgressSink.Silent, TextWriter.Null).Run(config, store: data.Store);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(config.OutDir, "manifest.json")))!;
        Assert.Equal(deviceName, manifest["MetricsDevice"]!.GetValue<string>());

        var checkpoint = Path.Combine(config.OutDir, Checkpoint.FileName);
        RunResult On(string where) => new Trainer(Workbench.Engine.LineProgressSink.Silent, TextWriter.Null) { MetricsDevice = where }
            .EvaluateCheckpoint(checkpoint, config.Data, config.Seed, 4, deviceName, Path.Combine(d.Path, where), data.Store);
        var auto = On("auto");
        var cpu = On("cpu");
        Assert.Equal(trained.Metrics.Mean.PixelAuroc, auto.Metrics.Mean.PixelAuroc, 6);
        foreach (var (a, c) in new[] { (auto.Metrics.Mean.ImageAuroc, cpu.Metrics.Mean.ImageAuroc), (auto.Metrics.Mean.PixelAuroc, cpu.Metrics.Mean.PixelAuroc),
                                       (auto.Metrics.Mean.PixelAp, cpu.Metrics.Mean.PixelAp), (auto.Metrics.Mean.Aupro, cpu.Metrics.Mean.Aupro) })
            Assert.Equal(c, a, 4);
        Assert.Equal(cpu.Scores.Select(s => s.Score), auto.Scores.Select(s => s.Score));
    }
}
