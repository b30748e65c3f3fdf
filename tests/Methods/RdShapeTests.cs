using Workbench.Backbones;
using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods;

public class RdShapeTests
{
    [Theory]
    [InlineData("resnet18", 128)]
    [InlineData("resnet18", 256)]
    [InlineData("wide_resnet50_2", 128)]
    [InlineData("wide_resnet50_2", 256)]
    public void StudentLevelsMatchTeacherLevels(string arch, int size)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(0);
        using var teacher = Teacher.Create(arch, "random", 0, CPU);
        using var student = new RdStudent(ResNetSpec.Get(arch));
        student.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = randn(1, 3, size, size);
        var t = teacher.Forward(x);
        var s = student.forward(t);
        Assert.Equal(3, s.Length);
        long[] ch = arch == "resnet18" ? new long[] { 64, 128, 256 } : new long[] { 256, 512, 1024 };
        for (int i = 0; i < 3; i++)
        {
            long hw = size / (4 << i);
            Assert.Equal(new long[] { 1, ch[i], hw, hw }, t[i].shape);
            Assert.Equal(t[i].shape, s[i].shape);
        }
    }

    [Fact]
    public void LossesAreZeroWhenStudentEqualsTeacher()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(2);
        using var scope = NewDisposeScope();
        var t = new[] { randn(2, 64, 16, 16), randn(2, 128, 8, 8), randn(2, 256, 4, 4) };
        var s = t.Select(x => x.clone()).ToArray();
        foreach (var form in new[] { RdLossForm.Flattened, RdLossForm.PerPosition })
            Assert.True(Math.Abs(RdLoss.Compute(t, s, form).Loss.item<float>()) < 1e-5);
        var noisy = t.Select(x => x + randn_like(x)).ToArray();
        Assert.True(RdLoss.Compute(t, noisy, RdLossForm.Flattened).Loss.item<float>() > 0.1);
    }

    [Theory]
    [InlineData("rd")]
    [InlineData("fd")]
    public void TrainStepMovesTheStudentAndNeverTheTeacher(string name)
    {
        TorchRuntime.EnsureLoaded();
        var cfg = MethodFactory.DefaultConfig(name) with { Teacher = "resnet18", TeacherWeights = "random" };
        using var method = (TeacherStudentMethod)MethodFactory.Create(cfg, CPU, 0);
        var teacher = method.TeacherNetwork;
        var tBefore = teacher.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var student = method.Student;
        var sBefore = student.parameters().Select(p => p.detach().clone()).ToList();
        manual_seed(3);
        using var x = randn(4, 3, 64, 64);
        var losses = method.TrainStep(x, new StepContext("student", 0, 0, 0));
        Assert.True(losses["loss"] > 0);
        foreach (var (k, v) in teacher.state_dict())
            Assert.True(v.eq(tBefore[k]).all().item<bool>(), $"teacher tensor {k} changed");
        Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
        var moved = student.parameters().Zip(sBefore).Count(pair => !pair.First.eq(pair.Second).all().item<bool>());
        Assert.True(moved > student.parameters().Count() / 2, $"only {moved} student tensors changed");
    }
}
