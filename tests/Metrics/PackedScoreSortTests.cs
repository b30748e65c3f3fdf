using Workbench.Metrics;

namespace Workbench.Tests.Metrics;

public class PackedScoreSortTests
{
    [Fact]
    public void OrdersByDescendingScoreAcrossSignsAndInfinities()
    {
        float[] s = { -1.5f, 2f, float.NegativeInfinity, 0.25f, float.PositiveInfinity, -0.0001f, 1e-30f };
        var keys = PackedScoreSort.Sort(s, new byte[s.Length]);
        var order = keys.Select(PackedScoreSort.Index).Select(i => s[i]).ToArray();
        Assert.Equal(s.OrderByDescending(x => x).ToArray(), order);
    }

    [Fact]
    public void NegativeAndPositiveZeroAreOneTieAndLabelsTravel()
    {
        float[] s = { 0f, -0f, 1f };
        byte[] l = { 1, 0, 1 };
        var keys = PackedScoreSort.Sort(s, l);
        Assert.Equal(2, PackedScoreSort.Index(keys[0]));
        Assert.Equal(PackedScoreSort.ScoreBits(keys[1]), PackedScoreSort.ScoreBits(keys[2]));
        Assert.Equal(new[] { true, true, false }, keys.Select(PackedScoreSort.IsPositive).ToArray());
    }

    [Fact]
    public void LargeRandomInputIsSortedAndStable()
    {
        var rng = new Random(3);
        var s = Enumerable.Range(0, 200_000).Select(_ => (float)Math.Round(rng.NextDouble() * 2000 - 1000, 1)).ToArray();
        var keys = PackedScoreSort.Sort(s, new byte[s.Length]);
        for (int i = 1; i < keys.Length; i++)
        {
            float a = s[PackedScoreSort.Index(keys[i - 1])], b = s[PackedScoreSort.Index(keys[i])];
            Assert.True(a > b || (a == b && PackedScoreSort.Index(keys[i - 1]) < PackedScoreSort.Index(keys[i])), $"rank {i}");
        }
    }

    [Fact]
    public void NaNThrows() =>
        Assert.Throws<ArgumentException>(() => PackedScoreSort.Sort(new[] { 1f, float.NaN }, new byte[2]));
}
