using Workbench.Methods;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods;

/// <summary>Loss terms read in one copy after the backward pass give the values item() gave, in order.</summary>
public class LossPartsTests
{
    [Fact]
    public void ValuesAreTheFloatsOfEachTermAndSameNamedTermsAreSummedInOrder()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var w = randn(new long[] { 5 }, generator: new Generator(3)).requires_grad_();
        var a = w.square().mean();
        var b = w.sin().sum().reshape(1); // shape [1], like DMDD's accumulated terms
        var c = w.abs().max();
        var total = a + b.squeeze() + c;
        var parts = new LossParts();
        parts.Add("level", a);
        parts.Add("other", b);
        parts.Add("level", c);
        total.backward();
        var (read, sum) = parts.ReadWith(total);
        Assert.Equal(new[] { "level", "other" }, read.Keys);
        Assert.Equal(0.0 + a.item<float>() + c.item<float>(), read["level"]);
        Assert.Equal((double)b.item<float>(), read["other"]);
        Assert.Equal((double)total.item<float>(), sum);
    }
}
