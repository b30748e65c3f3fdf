using System.Text.Json;
using Workbench.Distillation;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Distillation;

public class GaussianBlurTests
{
    sealed record Case(int h, int w, double sigma, double[] input, double[] expected);

    [Fact]
    public void KernelForSigma4Has33TapsAndSumsToOne()
    {
        var k = GaussianBlur.Kernel(4.0);
        Assert.Equal(33, k.Length);
        Assert.Equal(1.0, k.Sum(v => (double)v), 5);
        Assert.Equal(k[0], k[32]);
    }

    [Fact]
    public void MatchesScipyGaussianFilterReflect()
    {
        TorchRuntime.EnsureLoaded();
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "distillation", "blur_reference.json");
        var cases = JsonSerializer.Deserialize<Case[]>(File.ReadAllText(path))!;
        Assert.Equal(3, cases.Length);
        foreach (var c in cases)
        {
            using var x = tensor(c.input, new long[] { 1, 1, c.h, c.w }, dtype: ScalarType.Float64);
            using var y = GaussianBlur.Apply(x, c.sigma);
            var got = y.data<double>().ToArray();
            for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(got[i] - c.expected[i]) < 1e-6, $"σ={c.sigma} {c.h}×{c.w} index {i}: {got[i]} vs {c.expected[i]}");
        }
    }

    [Fact]
    public void ConstantMapStaysConstantAndMaxScoreIsTaken()
    {
        TorchRuntime.EnsureLoaded();
        using var m = full(new long[] { 2, 1, 20, 20 }, 3.0f);
        var (maps, scores) = AnomalyMaps.Finish(m, 4.0);
        using (maps) using (scores)
        {
            Assert.True((maps - 3.0f).abs().max().item<float>() < 1e-5);
            Assert.Equal(new float[] { 3f, 3f }, scores.data<float>().ToArray().Select(v => MathF.Round(v, 4)).ToArray());
        }
    }
}
