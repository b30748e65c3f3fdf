using Workbench.Distillation;
using Workbench.Backbones;
using Workbench.Methods;
using Workbench.Methods.Dmdd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Dmdd;

public class DmddStudentTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BranchesHaveTheTeachersShapes(bool withAbnormality)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(0);
        using var teacher = Teacher.Create("resnet18", "random", 0, CPU);
        using var student = new DecoupledStudent(ResNetSpec.Get("resnet18"), 2, withAbnormality);
        student.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var t = teacher.Forward(randn(2, 3, 64, 64));
        var f = student.forward(t);
        Assert.Equal(3, f.Normality.Length);
        Assert.Equal(withAbnormality ? 3 : 0, f.Abnormality.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(t[i].shape, f.Normality[i].shape);
            if (withAbnormality)
            {
                Assert.Equal(t[i].shape, f.Abnormality[i].shape);
                Assert.False(f.Normality[i].allclose(f.Abnormality[i]), "the two branches must not be the same function");
            }
        }
    }
}

public class DmddLossTests
{
    static Tensor Feature(long seed) { manual_seed(seed); return randn(2, 32, 8, 8).abs(); }
    static Tensor LeftHalf() { var m = zeros(2, 1, 8, 8); m[.., .., .., TensorIndex.Slice(0, 4)] = ones(1); return m; }

    [Fact]
    public void NormalityLossIsZeroOnlyWhenTheStudentMatches()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var t = Feature(1);
        Assert.True(Math.Abs(DmddLoss.Normality(t.clone(), t).item<float>()) < 1e-5);
        Assert.True(DmddLoss.Normality(Feature(2), t).item<float>() > 0.05);
    }

    [Fact]
    public void AbnormalityLossIsZeroInItsIdealCaseAndPositiveOtherwise()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var t = Feature(1);
        var m = LeftHalf();
        var inside = m.expand_as(t) > 0.5f;
        // Ideal: equal outside M, opposite (cos = −1 ≤ m) inside.
        var ideal = where(inside, -t, t);
        Assert.True(Math.Abs(DmddLoss.Abnormality(ideal, t, m, 0.5).item<float>()) < 1e-5);
        Assert.True(Math.Abs(DmddLoss.Abnormality(t.clone(), t, zeros_like(m), 0.5).item<float>()) < 1e-5);
        // Imitating the teacher inside M costs (1 − m) on half the positions.
        Assert.Equal(0.25, DmddLoss.Abnormality(t.clone(), t, m, 0.5).item<float>(), 3);
        // Departing from the teacher outside M costs too.
        Assert.True(DmddLoss.Abnormality(where(inside, -t, Feature(3)), t, m, 0.5).item<float>() > 0.02);
    }

    [Fact]
    public void AbnormalityGradientReachesOnlyInsideWhenOutsideIsPerfect()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var t = Feature(1);
        var m = LeftHalf();
        var inside = m.expand_as(t) > 0.5f;
        manual_seed(5);
        var s = where(inside, t + 0.1f * randn_like(t), t).detach().requires_grad_(true);   // cos > m inside
        DmddLoss.Abnormality(s, t, m, 0.5).backward();
        var g = s.grad!.abs();
        Assert.True(g.masked_select(~inside).max().item<float>() < 1e-6, "outside M the loss is at its optimum");
        Assert.True(g.masked_select(inside).max().item<float>() > 1e-4, "inside M the student must be pushed away");
    }

    [Fact]
    public void AbnormalityGradientReachesOnlyOutsideWhenInsideIsBeyondTheMargin()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var t = Feature(1);
        var m = LeftHalf();
        var inside = m.expand_as(t) > 0.5f;
        var s = where(inside, -t, Feature(4)).detach().requires_grad_(true);
        DmddLoss.Abnormality(s, t, m, 0.5).backward();
        var g = s.grad!.abs();
        Assert.Equal(0f, g.masked_select(inside).max().item<float>());
        Assert.True(g.masked_select(~inside).max().item<float>() > 1e-4);
    }

    [Fact]
    public void MaskDownsamplingForms()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var m = zeros(1, 1, 4, 4);
        m[0, 0, 0, 0] = ones(1).squeeze();         // 1 of 4 pixels in the top-left 2×2 cell
        m[0, 0, 2, 2] = ones(1).squeeze(); m[0, 0, 2, 3] = ones(1).squeeze(); m[0, 0, 3, 2] = ones(1).squeeze();
        var soft = DmddLoss.DownsampleMask(m, 2, 2, DmddMaskDownsample.Soft);
        Assert.Equal(new[] { 0.25f, 0f, 0f, 0.75f }, soft.flatten().data<float>().ToArray());
        Assert.Equal(new[] { 0f, 0f, 0f, 1f }, DmddLoss.DownsampleMask(m, 2, 2, DmddMaskDownsample.AreaThreshold).flatten().data<float>().ToArray());
        Assert.Equal(new[] { 1f, 0f, 0f, 1f }, DmddLoss.DownsampleMask(m, 2, 2, DmddMaskDownsample.Any).flatten().data<float>().ToArray());
    }

    [Fact]
    public void FocalAndDiceAreNearZeroForPerfectLogitsAndPositiveOtherwise()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var m = LeftHalf();
        var perfect = (m * 2 - 1) * 20;
        Assert.True(SegmentationLoss.Focal(perfect, m, 2).item<float>() < 1e-6);
        Assert.True(SegmentationLoss.Dice(perfect, m).item<float>() < 1e-3);
        var wrong = -perfect;
        Assert.True(SegmentationLoss.Focal(wrong, m, 2).item<float>() > 1);
        Assert.True(SegmentationLoss.Dice(wrong, m).item<float>() > 0.9);
    }
}

public class DmddSegmentationTests
{
    [Fact]
    public void ChannelMatmulInputGradientMatchesFloat64Conv()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(7);
        using var scope = NewDisposeScope();
        using var head = new ChannelMatmul(32, 1);
        var x = randn(2, 32, 9, 9).requires_grad_(true);
        var gy = randn(2, 1, 9, 9);
        (head.forward(x) * gy).sum().backward();
        var p = head.parameters().ToArray();   // weight [1,32], bias [1]
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        var w64 = p[0].detach().to(ScalarType.Float64).reshape(1, 32, 1, 1);
        (nn.functional.conv2d(x64, w64, p[1].detach().to(ScalarType.Float64)) * gy.to(ScalarType.Float64)).sum().backward();
        Assert.True(x.grad!.to(ScalarType.Float64).allclose(x64.grad!, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void UnfoldConvMatchesFloat64ConvForwardAndInputGradient()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(8);
        using var scope = NewDisposeScope();
        using var conv = new UnfoldConv(2, 1, 7);
        var x = randn(2, 2, 11, 11).requires_grad_(true);
        var gy = randn(2, 1, 11, 11);
        var y = conv.forward(x);
        (y * gy).sum().backward();
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, conv.ConvWeight.detach().to(ScalarType.Float64), conv.Bias.detach().to(ScalarType.Float64), padding: new long[] { 3, 3 });
        (y64 * gy.to(ScalarType.Float64)).sum().backward();
        Assert.True(y.detach().to(ScalarType.Float64).allclose(y64.detach(), rtol: 1e-4, atol: 1e-5));
        Assert.True(x.grad!.to(ScalarType.Float64).allclose(x64.grad!, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void SegmentationNetKeepsTheInputSizeAndItsGradientsAreFinite()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(9);
        using var scope = NewDisposeScope();
        using var net = new MultiPerceptionSegmentation(6, 32);
        var y = net.forward(rand(2, 6, 16, 16));
        Assert.Equal(new long[] { 2, 1, 16, 16 }, y.shape);
        y.sum().backward();
        Assert.All(net.parameters(), p => Assert.True(p.grad is not null && p.grad.isfinite().all().item<bool>()));
    }
}

public class DmddMethodTests
{
    static DmddMethod Make(DmddConfig? cfg = null, int seed = 0) =>
        (DmddMethod)MethodFactory.Create(cfg ?? new DmddConfig { Teacher = "resnet18", TeacherWeights = "random" }, CPU, seed);

    [Fact]
    public void FusedMapIsInZeroOneAndScoresAreFinite()
    {
        TorchRuntime.EnsureLoaded();
        using var method = Make();
        manual_seed(1);
        using var x = randn(2, 3, 64, 64);
        using var parts = method.Explain(x);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, parts.Fused.shape);
        Assert.Equal(parts.Fused.shape, parts.Normality.shape);
        Assert.Equal(parts.Fused.shape, parts.Abnormality.shape);
        Assert.True(parts.Fused.min().item<float>() >= 0f && parts.Fused.max().item<float>() <= 1f);
        using var pred = method.Predict(x);
        Assert.True(pred.Scores.isfinite().all().item<bool>());
        Assert.True(pred.Scores.le(pred.Maps.flatten(1).max(1).values + 1e-6f).all().item<bool>(), "top-k mean ≤ max");
    }

    [Fact]
    public void PhasesFollowTheOptions()
    {
        TorchRuntime.EnsureLoaded();
        var cfg = new DmddConfig { Teacher = "resnet18", Epochs = 3, SegmentationEpochs = 2 };
        Assert.Equal(new[] { "student", "segmentation" }, ((IAnomalyMethod)Make(cfg)).Phases.Select(p => p.Name));
        Assert.Single(Make(cfg with { JointSegmentation = true }).Phases);
        Assert.Single(Make(cfg with { Segmentation = false }).Phases);
    }

    [Fact]
    public void StudentStepMovesOnlyTheStudentAndSegmentationStepOnlyTheFusionNet()
    {
        TorchRuntime.EnsureLoaded();
        using var method = Make();
        manual_seed(3);
        using var x = randn(4, 3, 64, 64);
        var s0 = method.Student.parameters().Select(p => p.detach().clone()).ToList();
        var f0 = method.Fusion!.parameters().Select(p => p.detach().clone()).ToList();
        var l = method.TrainStep(x, new StepContext(DmddMethod.StudentPhase, 0, 0, 11));
        Assert.True(l["normality"] > 0 && l["abnormality"] > 0);
        Assert.True(method.Student.parameters().Zip(s0).Count(q => !q.First.eq(q.Second).all().item<bool>()) > s0.Count / 2);
        Assert.All(method.Fusion.parameters().Zip(f0), q => Assert.True(q.First.eq(q.Second).all().item<bool>()));

        var s1 = method.Student.parameters().Select(p => p.detach().clone()).ToList();
        var l2 = method.TrainStep(x, new StepContext(DmddMethod.SegmentationPhase, 0, 0, 12));
        Assert.True(l2["focal"] > 0 && l2["dice"] > 0);
        Assert.All(method.Student.parameters().Zip(s1), q => Assert.True(q.First.eq(q.Second).all().item<bool>()));
        Assert.True(method.Fusion.parameters().Zip(f0).Count(q => !q.First.eq(q.Second).all().item<bool>()) > f0.Count / 2);
    }

    [Fact]
    public void AbnormalityLossNeverReachesTheNormalityBranchAndViceVersa()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(4);
        using var teacher = Teacher.Create("resnet18", "random", 0, CPU);
        using var student = new DecoupledStudent(ResNetSpec.Get("resnet18"), 2, true);
        using var scope = NewDisposeScope();
        var t = teacher.Forward(randn(2, 3, 64, 64));
        var f = student.forward(t);
        var m = zeros(2, 1, 64, 64);
        var loss = DmddLoss.Abnormality(f.Abnormality[0], t[0], DmddLoss.DownsampleMask(m, 16, 16, DmddMaskDownsample.Soft), 0.5);
        loss.backward();
        var named = student.named_parameters().ToList();
        Assert.All(named.Where(p => p.name.Contains("normality") && !p.name.Contains("abnormality")),
                   p => Assert.True(p.parameter.grad is null || p.parameter.grad.abs().max().item<float>() == 0f, p.name));
        Assert.Contains(named, p => p.name.Contains("abnormality") && p.parameter.grad is not null && p.parameter.grad.abs().max().item<float>() > 0f);
    }

    [Fact]
    public void SavedStateRestoresTheSamePredictions()
    {
        TorchRuntime.EnsureLoaded();
        using var a = Make(seed: 0);
        manual_seed(5);
        using var x = randn(2, 3, 64, 64);
        a.TrainStep(x, new StepContext(DmddMethod.StudentPhase, 0, 0, 1));
        a.TrainStep(x, new StepContext(DmddMethod.SegmentationPhase, 0, 0, 2));
        using var b = Make(seed: 0);   // same random teacher; the student state comes from the checkpoint
        CheckpointCopy.Into(a, b);
        using var pa = a.Predict(x);
        using var pb = b.Predict(x);
        Assert.True(pa.Maps.allclose(pb.Maps, rtol: 1e-5, atol: 1e-6));
    }
}

public class DmddReportingTests
{
    [Fact]
    public void CentreEdgeProfileSeparatesInteriorEdgeAndRing()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var mask = zeros(1, 1, 32, 32);
        mask[.., .., TensorIndex.Slice(8, 24), TensorIndex.Slice(8, 24)] = ones(1);
        var interior = zeros(1, 1, 32, 32);
        interior[.., .., TensorIndex.Slice(11, 21), TensorIndex.Slice(11, 21)] = ones(1);
        var normal = randn(4, 1, 32, 32);
        var s = Workbench.Reporting.CentreEdgeProfile.Compute(interior * 10, mask, normal);
        Assert.Equal(100, s.InteriorPixels);
        Assert.Equal(16 * 16 - 100, s.EdgePixels);
        Assert.Equal(22 * 22 - 16 * 16, s.RingPixels);
        Assert.True(s.Interior > 5 && Math.Abs(s.Edge - s.OuterRing) < 1e-4 && s.Edge < 1);
    }

    [Fact]
    public void GalleryHasOneCellPerMapPlusTheImage()
    {
        var img = new Workbench.Imaging.RasterImage(8, 8, 3, new byte[8 * 8 * 3]);
        var mask = new Workbench.Imaging.RasterImage(8, 8, 1, Enumerable.Range(0, 64).Select(i => (byte)(i % 8 < 4 ? 1 : 0)).ToArray());
        var map = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        var g = Workbench.Reporting.MapGallery.Build(new[] { new Workbench.Reporting.MapGalleryRow(img, mask, new[] { map, map, map }) }, scale: 2, alpha: 0.5f);
        Assert.Equal(4 * 16 + 5 * 4, g.Width);
        Assert.Equal(16 + 2 * 4, g.Height);
    }
}
