using Workbench.Methods.Snl;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods.Snl;

public class CramTests
{
    public CramTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void AlphaZeroIsTheIdentity()
    {
        manual_seed(1);
        using var cram = new CentralResidualAggregation(16, 8, alphaInit: 0.0);
        using var scope = NewDisposeScope();
        var x = randn(2, 16, 5, 7);
        Assert.True(cram.forward(x).eq(x).all().item<bool>());
        using var cram2 = new CentralResidualAggregation(16, 8, alphaInit: 0.5);
        Assert.False(cram2.forward(x).allclose(x));
    }

    [Fact]
    public void AlphaOneWithOneCentreMapsEveryPositionToTheCentre()
    {
        manual_seed(2);
        using var cram = new CentralResidualAggregation(4, 1, alphaInit: 1.0);
        using var scope = NewDisposeScope();
        var y = cram.forward(randn(2, 4, 3, 3));
        var centre = cram.Centres[0].reshape(1, 4, 1, 1).expand(2, 4, 3, 3);
        Assert.True(y.allclose(centre, atol: 1e-6));
    }

    [Fact]
    public void InitialisedCentresSitOnTheClustersAndASharpAssignmentPicksTheNearest()
    {
        using var cram = new CentralResidualAggregation(2, 2, alphaInit: 1.0);
        using var scope = NewDisposeScope();
        var samples = cat(new[] { zeros(50, 2), full(new long[] { 50, 2 }, 5f) }, 0);
        cram.Initialise(samples, targetEntropy: 1e-4, new Generator(7));
        var sorted = cram.Centres.sum(1).sort().Values;
        Assert.True(sorted.allclose(tensor(new float[] { 0, 10 }), atol: 1e-5));
        var x = tensor(new float[] { 0.5f, 4.0f, 1.0f, 4.5f }).reshape(1, 2, 1, 2);   // positions (0.5,1) and (4,4.5)
        var y = cram.forward(x);
        Assert.True(y.flatten().allclose(tensor(new float[] { 0, 5, 0, 5 }), atol: 0.01), string.Join(",", y.flatten().data<float>().ToArray()));
    }

    [Fact]
    public void TemperatureIsCalibratedToTheTargetEntropyAndSavedWithTheWeights()
    {
        manual_seed(4);
        using var cram = new CentralResidualAggregation(16, 8, alphaInit: 0.1);
        using var scope = NewDisposeScope();
        var x = randn(2, 16, 8, 8).relu();
        var samples = x.permute(0, 2, 3, 1).reshape(-1, 16);
        cram.Initialise(samples, targetEntropy: 0.7, new Generator(3));
        Assert.Equal(0.7, cram.AssignmentEntropy(x), 2);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) cram.save(w);
        using var other = new CentralResidualAggregation(16, 8, alphaInit: 0.1);
        ms.Position = 0;
        using (var r = new BinaryReader(ms)) other.load(r);
        Assert.Equal(cram.Temperature, other.Temperature);
        Assert.True(other.forward(x).allclose(cram.forward(x)));
    }

    [Fact]
    public void CentresAndAlphaReceiveFiniteGradients()
    {
        manual_seed(3);
        using var cram = new CentralResidualAggregation(32, 8, alphaInit: 0.1);
        using var scope = NewDisposeScope();
        var x = randn(2, 32, 4, 4).relu().requires_grad_(true);
        (cram.forward(x).square().mean() + cram.Diversity()).backward();
        Assert.True(cram.Centres.grad!.isfinite().all().item<bool>());
        Assert.True(cram.Centres.grad!.abs().sum().item<float>() > 0);
        Assert.True(cram.Alpha.grad!.isfinite().item<bool>() && cram.Alpha.grad!.abs().item<float>() > 0);
        Assert.True(x.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void DiversityIsZeroForOrthogonalAndOneForCollapsedCentres()
    {
        using var cram = new CentralResidualAggregation(3, 3, 0.1);
        using var scope = NewDisposeScope();
        using (no_grad()) cram.Centres.copy_(eye(3));
        Assert.Equal(0f, cram.Diversity().item<float>(), 6);
        using (no_grad()) cram.Centres.copy_(ones(3, 3));
        Assert.Equal(1f, cram.Diversity().item<float>(), 5);
    }
}
