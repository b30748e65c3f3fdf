using System.Text.Json.Nodes;
using Workbench.Backbones;
using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

/// <summary>Checks with the real ImageNet resnet18 weights in ../shared (skipped when absent).</summary>
public class PretrainedTeacherTests
{
    const string Weights = "weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors";
    readonly ITestOutputHelper output;

    public PretrainedTeacherTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.EnsureLoaded();
    }

    static Tensor LoadImage(string path, int size)
    {
        var img = Resize.Bilinear(ImageDecoder.DecodeRgb(path), size, size);
        using var chw = ImageTensors.ToTensor(img);
        using var norm = ImageTensors.NormalizeImageNet(chw);
        return norm.unsqueeze(0);
    }

    [SkippableFact]
    public void ForwardMatchesPyTorchOnAFixedInput()
    {
        var path = SharedData.RequireFile(Weights);
        var expectedFile = FixtureFiles.Path("resnet18_bnfolded_forward.json");
        Skip.IfNot(File.Exists(expectedFile), "fixture made without ../shared weights");
        var expected = JsonNode.Parse(File.ReadAllText(expectedFile))!.AsObject();
        using var teacher = Teacher.Create("resnet18", path, 0, CPU);
        Assert.True(teacher.Pretrained);
        // Same formula as make_torch_fixtures.py fixed_input(): sin(0.01·i), float64 → float32.
        using var x = arange(3 * 64 * 64, dtype: ScalarType.Float64).mul(0.01).sin().to(ScalarType.Float32).reshape(1, 3, 64, 64);
        var feats = teacher.Forward(x);
        for (int i = 0; i < 3; i++)
        {
            var e = expected[$"layer{i + 1}"]!.AsObject();
            Assert.Equal(e["shape"]!.AsArray().Select(s => s!.GetValue<long>()), feats[i].shape);
            using var flat = feats[i].flatten().to(ScalarType.Float64);
            double mean = flat.mean().item<double>(), std = flat.std().item<double>();
            Assert.True(Math.Abs(mean - e["mean"]!.GetValue<double>()) < 1e-4 * (1 + Math.Abs(mean)), $"layer{i + 1} mean {mean} vs {e["mean"]}");
            Assert.True(Math.Abs(std - e["std"]!.GetValue<double>()) < 1e-4 * (1 + std), $"layer{i + 1} std {std} vs {e["std"]}");
            var values = flat.data<double>().ToArray();
            foreach (var (idx, v) in e["index_values"]!.AsObject())
                Assert.True(Math.Abs(values[int.Parse(idx)] - v!.GetValue<double>()) < 1e-3 * (1 + Math.Abs(v.GetValue<double>())),
                    $"layer{i + 1}[{idx}] = {values[int.Parse(idx)]}, PyTorch {v}");
        }
        foreach (var f in feats) f.Dispose();
    }

    [SkippableFact]
    public void BottleLayer3ShapeAndGoodImagesAreCloserThanABrokenOne()
    {
        var weights = SharedData.RequireFile(Weights);
        var bottle = SharedData.RequireDir("data/mvtec_ad/bottle");
        using var teacher = Teacher.Create("resnet18", weights, 0, CPU);
        Tensor Layer3(string rel)
        {
            using var x = LoadImage(Path.Combine(bottle, rel), 256);
            var f = teacher.Forward(x);
            f[0].Dispose(); f[1].Dispose();
            return f[2];
        }
        using var good0 = Layer3("test/good/000.png");
        using var good1 = Layer3("test/good/001.png");
        using var broken = Layer3("test/broken_large/000.png");
        Assert.Equal(new long[] { 1, 256, 16, 16 }, good0.shape);

        double Cos(Tensor a, Tensor b) => nn.functional.cosine_similarity(a.flatten(), b.flatten(), dim: 0).item<float>();
        double Pooled(Tensor a, Tensor b) => nn.functional.cosine_similarity(a.mean(new long[] { 2, 3 }), b.mean(new long[] { 2, 3 }), dim: 1).item<float>();
        double goodGood = Cos(good0, good1), goodBroken = Cos(good0, broken);
        output.WriteLine($"flattened cosine: good-good {goodGood:F4}, good-broken {goodBroken:F4}; pooled: {Pooled(good0, good1):F4} vs {Pooled(good0, broken):F4}");
        Assert.True(goodGood > goodBroken, $"good-good {goodGood:F4} should exceed good-broken {goodBroken:F4}");
        Assert.True(Pooled(good0, good1) > Pooled(good0, broken));
    }

    [SkippableFact]
    public void PretrainedTeacherLoadsEveryTensorAndNamesItsSource()
    {
        // Guards against a silently unloaded teacher.
        var weights = SharedData.RequireFile(Weights);
        using var pre = Teacher.Create("resnet18", weights, 0, CPU);
        using var rnd = Teacher.Create("resnet18", "random", 0, CPU);
        Assert.Equal(pre.Backbone.state_dict().Count, pre.Load.Loaded.Count);
        Assert.False(pre.state_dict()["backbone.conv1.weight"].SameAs(rnd.state_dict()["backbone.conv1.weight"]));
        Assert.Contains("pretrained weights from resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors", pre.Description);
    }
}
