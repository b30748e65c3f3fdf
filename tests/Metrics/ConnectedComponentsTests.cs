using Workbench.Metrics;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

public class ConnectedComponentsTests
{
    static ComponentLabels Label(int h, int w, string rows) =>
        ConnectedComponents.Label(rows.Where(ch => ch is '0' or '1').Select(ch => (byte)(ch - '0')).ToArray(), 1, h, w);

    [Fact]
    public void DiagonalOnlyContactIsOneComponent()
    {
        var c = Label(3, 3, "100 010 001");
        Assert.Equal(1, c.Count);
        Assert.Equal(3, c.Sizes[1]);
    }

    [Fact]
    public void AntiDiagonalContactIsOneComponent()
    {
        // Exercises the north-east neighbour, and a merge of two provisional ids (U shape).
        Assert.Equal(1, Label(3, 3, "001 010 100").Count);
        var u = Label(3, 3, "101 101 111");
        Assert.Equal(1, u.Count);
        Assert.Equal(7, u.Sizes[1]);
    }

    [Fact]
    public void SeparatedRegionsAreDistinctAndNumberedGlobally()
    {
        // image 0: two regions one column apart; image 1: one region.
        var masks = "1010 1010 0000" + "0000 0110 0110";
        var c = ConnectedComponents.Label(masks.Where(ch => ch is '0' or '1').Select(ch => (byte)(ch - '0')).ToArray(), 2, 3, 4);
        Assert.Equal(3, c.Count);
        Assert.Equal(new[] { 2, 1 }, c.CountPerImage);
        Assert.Equal(new long[] { 0, 2, 2, 4 }, c.Sizes);
        Assert.Equal(new[] { -1, 0, 0, 1 }, c.ImageOf);
        Assert.Equal(3, c.Labels[12 + 5]);
    }

    [Theory]
    [MemberData(nameof(MetricCases.All), MemberType = typeof(MetricCases))]
    public void CountsMatchScikitImageConnectivity2(string name)
    {
        var c = MetricCases.Load(name);
        using var masks = c.MasksTensor();
        var labels = ConnectedComponents.Label(masks);
        Assert.Equal((int)c.Expected["components"], labels.Count);
        Assert.Equal(c.Masks.Count(b => b != 0), labels.Sizes.Sum());
    }

    [Fact]
    public void DiagonalCaseDiffersUnderFourConnectivity()
    {
        // Guards the fixture itself: the diagonal case only tests something if 4- and 8-connectivity disagree.
        var c = MetricCases.Load("diagonal");
        Assert.NotEqual(c.Expected["components"], c.Expected["components_4conn"]);
    }
}
