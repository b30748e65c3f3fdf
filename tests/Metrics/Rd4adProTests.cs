using Workbench.Metrics;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

public class Rd4adProTests
{
    [Fact]
    public void ThresholdGridFollowsNumpyArange()
    {
        // np.arange(0, 1, 0.1) has 10 values; np.arange(0.1, 0.4, 0.1) has 4 (0.30000000000000004 < 0.4 ... rounding).
        Assert.Equal(10, Rd4adPro.NumpyArange(0, 1, 10).Length);
        Assert.Equal(np_arange_len(0.1, 0.4, 3), Rd4adPro.NumpyArange(0.1, 0.4, 3).Length);
        var g = Rd4adPro.NumpyArange(-2, 6, 200);
        Assert.Equal(200, g.Length);
        Assert.Equal(-2 + 199 * 0.04, g[^1], 12);
        Assert.Throws<ArgumentException>(() => Rd4adPro.NumpyArange(1, 1, 200));
    }

    static int np_arange_len(double a, double b, int n) => (int)Math.Ceiling((b - a) / ((b - a) / n));

    [Fact]
    public void DiffersFromAuproOnTheSameData()
    {
        // The two definitions are not interchangeable; the references agree they differ here.
        var c = MetricCases.Load("structured");
        using var scope = NewDisposeScope();
        var rd = Rd4adPro.Compute(c.MapsTensor(), c.MasksTensor());
        var mv = Aupro.Compute(c.MapsTensor(), c.MasksTensor());
        Assert.Equal(c.Expected["rd4ad_pro"], rd, 1e-4);
        Assert.True(Math.Abs(rd - mv) > 1e-3);
    }

    [Fact]
    public void PerImageCoversExactlyTheImagesWithRegions()
    {
        var c = MetricCases.Load("one_per_image");
        using var scope = NewDisposeScope();
        var per = Rd4adPro.PerImage(c.MapsTensor(), c.MasksTensor());
        Assert.Equal(c.Labels.Count(b => b != 0), per.Count);
        Assert.All(per.Keys, i => Assert.Equal(1, c.Labels[i]));
    }
}
