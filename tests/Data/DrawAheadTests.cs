using System.Collections.Concurrent;
using Workbench.Data.Synthesis;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

/// <summary>Host-side synthesis drawn ahead on worker threads (DrawAhead) gives exactly what drawing on demand gives.</summary>
public class DrawAheadTests
{
    [Fact]
    public void TheNextSeedsAreDrawnAheadOnceAndServedFromThere()
    {
        var calls = new ConcurrentDictionary<DrawKey, int>();
        var ahead = new DrawAhead<string>(k => { calls.AddOrUpdate(k, 1, (_, n) => n + 1); return $"{k.Batch}x{k.Height}x{k.Width}@{k.Seed}"; }, depth: 3);
        for (int seed = 100; seed < 110; seed++)
            Assert.Equal($"4x8x8@{seed}", ahead.Take(new DrawKey(4, 8, 8, seed)));
        Assert.Equal("4x8x8@109", ahead.Take(new DrawKey(4, 8, 8, 109))); // asked twice in one step: the same draw
        Assert.Equal("2x8x8@7", ahead.Take(new DrawKey(2, 8, 8, 7)));    // another shape and seed: drawn on demand
        SpinWait.SpinUntil(() => calls.ContainsKey(new DrawKey(2, 8, 8, 10)), 5000);
        for (int seed = 100; seed < 110; seed++) Assert.Equal(1, calls[new DrawKey(4, 8, 8, seed)]);
        Assert.Equal(1, calls[new DrawKey(2, 8, 8, 7)]);
    }

    [Fact]
    public void AFailedDrawAheadFailsTheStepThatTakesIt()
    {
        var ahead = new DrawAhead<int>(k => k.Seed == 2 ? throw new InvalidDataException("bad texture") : k.Seed, depth: 2);
        Assert.Equal(1, ahead.Take(new DrawKey(1, 1, 1, 1)));
        var e = Assert.Throws<InvalidDataException>(() => ahead.Take(new DrawKey(1, 1, 1, 2)));
        Assert.Equal("bad texture", e.Message);
    }

    [Fact]
    public void TextureNoiseIsTheSameDrawnAheadOrOnDemand()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var images = rand(new long[] { 3, 3, 32, 32 }, generator: new Generator(4));
        var last = images.narrow(0, 0, 2); // a smaller last batch: another shape
        var onDemand = new TextureNoise(drawAhead: 0);
        var ahead = new TextureNoise(drawAhead: 3);
        // Consecutive step seeds, an epoch boundary (jump), a repeated seed and a smaller last batch.
        foreach (var (x, seed) in new[] { (images, 50), (images, 51), (images, 52), (images, 900), (images, 901), (images, 901), (last, 902) })
        {
            using var a = onDemand.Apply(x, seed);
            using var b = ahead.Apply(x, seed);
            Assert.True(a.Images.eq(b.Images).all().item<bool>(), $"images differ at seed {seed}");
            Assert.True(a.Masks.eq(b.Masks).all().item<bool>(), $"masks differ at seed {seed}");
            Assert.Equal(a.Betas, b.Betas);
            b.Masks.zero_(); // a consumer writing into its result must not reach a draw kept for a repeated seed
        }
    }

    [Fact]
    public void DepthComesFromTheDeviceOrTheEnvironment()
    {
        var saved = Environment.GetEnvironmentVariable(DrawAhead<int>.DepthVariable);
        try
        {
            Environment.SetEnvironmentVariable(DrawAhead<int>.DepthVariable, null);
            Assert.Equal(0, DrawAhead<int>.DefaultDepth(CPU));
            Assert.Equal(Math.Clamp(Environment.ProcessorCount - 2, 0, 16), DrawAhead<int>.DefaultDepth(new Device(TorchSharp.DeviceType.CUDA, 0)));
            Environment.SetEnvironmentVariable(DrawAhead<int>.DepthVariable, "5");
            Assert.Equal(5, DrawAhead<int>.DefaultDepth(CPU));
            Environment.SetEnvironmentVariable(DrawAhead<int>.DepthVariable, "many");
            Assert.Contains(DrawAhead<int>.DepthVariable, Assert.Throws<ArgumentException>(() => DrawAhead<int>.DefaultDepth(CPU)).Message);
        }
        finally { Environment.SetEnvironmentVariable(DrawAhead<int>.DepthVariable, saved); }
    }
}
