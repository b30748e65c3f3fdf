using Workbench.Data.Synthetic;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine;

/// <summary>
/// FD and RD, briefly trained on the built-in synthetic benchmark, must beat the same model with
/// an untrained student (the broken control) by a wide image-AUROC margin. Uses the shared
/// pretrained ResNet-18 (skips without ../shared): with a random teacher the features carry too
/// little structure for a margin worth asserting at this size.
/// </summary>
public class BaselineIntegrationTests
{
    const string Weights = "weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors";

    static double ImageAuroc(string root, string dir, MethodConfig cfg, ImageStore store) =>
        new Trainer(LineProgressSink.Silent, TextWriter.Null).Run(new RunConfig
        {
            Data = new DataConfig("synthetic", root, new[] { "washer", "woven" }, "multi-class", 64),
            Method = cfg, Seed = 1, BatchSize = 8, Device = "cpu", OutDir = dir,
        }, store: store).Metrics.Mean.ImageAuroc;

    [SkippableTheory]
    [InlineData("fd")]
    [InlineData("rd")]
    public void TrainedStudentBeatsUntrainedControl(string method)
    {
        var weights = SharedData.RequireFile(Weights);
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        var root = Path.Combine(d.Path, "synthetic");
        SyntheticBenchmark.Generate(root, new SyntheticOptions(Size: 64, TrainPerCategory: 24, TestGoodPerCategory: 8, TestPerDefect: 4, Seed: 2, Categories: new[] { "washer", "woven" }));
        var store = new ImageStore();
        var cfg = MethodFactory.DefaultConfig(method) with { Teacher = "resnet18", TeacherWeights = weights };
        double trained = ImageAuroc(root, Path.Combine(d.Path, "trained"), cfg with { Epochs = 10 }, store);
        double control = ImageAuroc(root, Path.Combine(d.Path, "control"), cfg with { Epochs = 0 }, store);
        Assert.True(trained >= control + 0.15, $"{method}: trained image AUROC {trained:F3} vs untrained control {control:F3}");
        Assert.True(trained >= 0.75, $"{method}: trained image AUROC {trained:F3}");
    }
}
