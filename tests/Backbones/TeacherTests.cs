using TorchSharp;
using Workbench.Backbones;
using Workbench.Backbones.Weights;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Backbones;

public class TeacherTests
{
    public TeacherTests() => TorchRuntime.EnsureLoaded();

    /// <summary>A model holding a teacher and a trainable part, as a KD method does.</summary>
    sealed class Holder : nn.Module<Tensor, Tensor>
    {
        private readonly Teacher teacher;
        private readonly nn.Module<Tensor, Tensor> head;
        public Holder(Teacher t) : base("holder")
        {
            teacher = t;
            head = nn.Conv2d(64, 16, 1);
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => head.forward(teacher.forward(x)[0]);
    }

    [Fact]
    public void TeacherStaysFrozenWhenTheSurroundingModelTrains()
    {
        var teacher = Teacher.Create("resnet18", Teacher.RandomWeights, 0, CPU, lastStage: 2);
        using var holder = new Holder(teacher);
        holder.train();
        Assert.True(holder.training);
        Assert.False(teacher.training);
        Assert.All(teacher.modules(), m => Assert.False(m.training));
        var before = teacher.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var x = randn(2, 3, 64, 64) * 3 + 1; // far from the init statistics (mean 0, var 1)
        using var y = holder.forward(x);
        y.mean().backward();
        foreach (var (k, v) in teacher.state_dict()) Assert.True(v.SameAs(before[k]), $"{k} changed in train mode");
        Assert.All(teacher.parameters(), p => { Assert.False(p.requires_grad); Assert.Null(p.grad); });
        Assert.Contains(holder.named_parameters(), p => p.name.StartsWith("head.") && p.parameter.grad is not null);
        teacher.train(true);
        Assert.False(teacher.training);
    }

    [Fact]
    public void TeacherOutputsDoNotRequireGrad()
    {
        using var teacher = Teacher.Create("resnet18", "random", 0, CPU);
        using var x = randn(1, 3, 64, 64, requires_grad: true);
        var f = teacher.Forward(x);
        Assert.Equal(3, f.Length);
        Assert.All(f, t => Assert.False(t.requires_grad));
        Assert.Equal(new long[] { 64, 128, 256 }, teacher.Channels);
        Assert.Equal(new[] { 4, 8, 16 }, teacher.Strides);
        Assert.Equal(new long[] { 1, 256, 4, 4 }, f[2].shape);
    }

    [Fact]
    public void RandomTeacherIsLabelledSeededAndLeavesTheGlobalRngAlone()
    {
        manual_seed(42);
        var expectedNext = randn(3);
        manual_seed(42);
        using var a = Teacher.Create("resnet18", "random", 7, CPU, lastStage: 1);
        var next = randn(3);
        Assert.True(next.SameAs(expectedNext), "Teacher.Create moved the caller's random stream");
        using var b = Teacher.Create("resnet18", "random", 7, CPU, lastStage: 1);
        using var c = Teacher.Create("resnet18", "random", 8, CPU, lastStage: 1);
        Assert.True(a.state_dict()["backbone.conv1.weight"].SameAs(b.state_dict()["backbone.conv1.weight"]));
        Assert.False(a.state_dict()["backbone.conv1.weight"].SameAs(c.state_dict()["backbone.conv1.weight"]));
        Assert.False(a.Pretrained);
        Assert.Contains("RANDOM INIT seed 7", a.Description);
        Assert.Contains("not pretrained", a.Description);
        Assert.Empty(a.Load.Loaded);
    }

    [Fact]
    public void TeacherLoadsAFullCheckpointAndSkipsLaterStages()
    {
        // a full resnet18 state_dict (with layer4 and fc), as torchvision ships it
        manual_seed(9);
        using var full = new ResNet(ResNetSpec.Get("resnet18"));
        using var dir = new TempDir();
        var path = dir.File("r18.safetensors");
        SafeTensors.Save(path, full.state_dict());
        using var t = Teacher.Create("resnet18", path, 0, CPU, lastStage: 3);
        Assert.True(t.Pretrained);
        Assert.Contains("r18.safetensors", t.Description);
        Assert.All(t.Load.Skipped, k => Assert.True(k.StartsWith("layer4.") || k.StartsWith("fc."), k));
        Assert.NotEmpty(t.Load.Skipped);
        Assert.True(t.state_dict()["backbone.layer3.1.conv2.weight"].SameAs(full.state_dict()["layer3.1.conv2.weight"]));
    }

    [Fact]
    public void UnknownNameAndMissingFileGiveClearErrors()
    {
        Assert.Throws<ArgumentException>(() => Teacher.Create("vgg16", "random", 0, CPU));
        var e = Assert.Throws<FileNotFoundException>(() => Teacher.Create("resnet18", "/nope/w.pth", 0, CPU));
        Assert.Contains("/nope/w.pth", e.Message);
    }
}
