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
        using var cram = new CentralResidualAggregation(16, 8, 1.0, alphaInit: 0.0);
        using var scope = NewDisposeScope();
        var x = randn(2, 16, 5, 7);
        Assert.True(cram.forward(x).eq(x).all().item<bool>());
        using var cram2 = new CentralResidualAggregation(16, 8, 1.0, alphaInit: 0.5);
        Assert.False(cram2.forward(x).allclose(x));
    }

    [Fact]
    public void AlphaOneWithOneCentreMapsEveryPositionToTheCentre()
    {
        manual_seed(2);
        using var cram = new CentralResidualAggregation(4, 1, 1.0, alphaInit: 1.0);
        using var scope = NewDisposeScope();
        var y = cram.forward(randn(2, 4, 3, 3));
        var centre = cram.Centres[0].reshape(1, 4, 1, 1).expand(2, 4, 3, 3);
        Assert.True(y.allclose(centre, atol: 1e-6));
    }

    [Fact]
    public void SharpAssignmentPicksTheNearestCentre()
    {
        using var cram = new CentralResidualAggregation(2, 2, 1e-4, alphaInit: 1.0);
        using var scope = NewDisposeScope();
        using (no_grad()) cram.Centres.copy_(tensor(new float[] { 0, 0, 5, 5 }).reshape(2, 2));
        var x = tensor(new float[] { 0.5f, 4.0f, 1.0f, 4.5f }).reshape(1, 2, 1, 2);   // positions (0.5,1) and (4,4.5)
        var y = cram.forward(x);
        Assert.Equal(new[] { 0f, 5f, 0f, 5f }, y.flatten().data<float>().ToArray());
    }

    [Fact]
    public void CentresAndAlphaReceiveFiniteGradients()
    {
        manual_seed(3);
        using var cram = new CentralResidualAggregation(32, 8, 1.0, alphaInit: 0.1);
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
        using var cram = new CentralResidualAggregation(3, 3, 1.0, 0.1);
        using var scope = NewDisposeScope();
        using (no_grad()) cram.Centres.copy_(eye(3));
        Assert.Equal(0f, cram.Diversity().item<float>(), 6);
        using (no_grad()) cram.Centres.copy_(ones(3, 3));
        Assert.Equal(1f, cram.Diversity().item<float>(), 5);
    }
}
