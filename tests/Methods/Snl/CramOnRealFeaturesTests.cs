using Workbench.Backbones;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Methods.Snl;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Snl;

/// <summary>
/// Issue 16 item 1: on real MVTec bottle features (ImageNet ResNet-18 from ../shared), an initialised CRAM
/// aggregates: its assignment is far from uniform and the aggregated vector changes between positions.
/// The earlier CRAM (random centres, T = τ·C) gave entropy ≈ log K and one vector everywhere.
/// </summary>
public class CramOnRealFeaturesTests
{
    const string Weights = "weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors";

    static Tensor Images(string folder, int from, int count, int size) =>
        cat(Enumerable.Range(from, count).Select(i =>
        {
            var img = Resize.Bilinear(ImageDecoder.DecodeRgb(Path.Combine(folder, $"{i:000}.png")), size, size);
            using var chw = ImageTensors.ToTensor(img);
            using var norm = ImageTensors.NormalizeImageNet(chw);
            return norm.unsqueeze(0);
        }).ToArray(), 0);

    [SkippableTheory]
    [InlineData("snl-rd")]
    [InlineData("snl-fd")]
    public void InitialisedCramAggregatesRealBottleFeatures(string name)
    {
        TorchRuntime.EnsureLoaded();
        var weights = SharedData.RequireFile(Weights);
        var bottle = SharedData.RequireDir("data/mvtec_ad/bottle");
        var cfg = MethodOptions.Apply(MethodFactory.DefaultConfig(name) with { Teacher = "resnet18", TeacherWeights = weights }, new[] { "CramInitImages=16" });
        using var method = (SnlMethod)MethodFactory.Create(cfg, CPU, 0);
        using var scope = NewDisposeScope();
        var train = Images(Path.Combine(bottle, "train", "good"), 0, 16, 128);
        method.InitialiseFrom(new[] { train.narrow(0, 0, 8), train.narrow(0, 8, 8) }, seed: 0);

        // Held-out normal images: the teacher features each CRAM's level will be trained toward.
        var held = Images(Path.Combine(bottle, "test", "good"), 0, 4, 128);
        var t = method.TeacherNetwork.Forward(held);
        var sn = (ICramStudent)method.Student;
        for (int i = 0; i < method.Crams.Count; i++)
        {
            var cram = method.Crams[i];
            var f = t[sn.TeacherLevelOf(i)];
            double entropy = cram.AssignmentEntropy(f), uniform = Math.Log(cram.CentreCount);
            Assert.True(entropy < 0.6 * uniform, $"{name} CRAM {i}: assignment entropy {entropy:F3} vs log K {uniform:F3}");
            // Aggregated vectors m = a·C at every position: their spread across positions vs the features'.
            var m = cram.Assignments(f).mm(cram.Centres);
            var x = f.permute(0, 2, 3, 1).reshape(-1, f.shape[1]);
            double spreadM = m.std(dimensions: new long[] { 0 }).mean().item<float>(), spreadX = x.std(dimensions: new long[] { 0 }).mean().item<float>();
            Assert.True(spreadM > 0.3 * spreadX, $"{name} CRAM {i}: aggregated vectors barely vary ({spreadM:G3} vs features {spreadX:G3})");
        }
    }
}
