using TorchSharp;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Metrics.Benchmark;

/// <summary>A synthetic test set shaped like MVTec AD's for timing the metrics: smooth noisy
/// anomaly maps, a share of anomalous images carrying 1–3 irregular, rotated elliptic regions
/// (radii 3–40 px, log-uniform), and a score bump of random strength over each region.
/// Everything is made on <c>device</c> from one seed; the seeded draws happen on the CPU (<see cref="SeededDraw"/>),
/// so the set is the same on every device up to the arithmetic.</summary>
public sealed record SyntheticScoreMaps(Tensor Maps, Tensor Masks, Tensor Labels) : IDisposable
{
    public static SyntheticScoreMaps Create(int count, int size, double anomalousShare, int seed, Device device)
    {
        var rng = new Random(seed);
        var gen = new torch.Generator((ulong)seed); // a CPU generator whatever the device: see SeededDraw
        var maps = empty(count, size, size, ScalarType.Float32, device: device);
        var masks = zeros(count, size, size, ScalarType.Byte, device: device);
        var labels = zeros(count, ScalarType.Int64, device: device);
        const int batch = 32;
        for (int start = 0; start < count; start += batch)
        {
            using var scope = NewDisposeScope();
            int b = Math.Min(batch, count - start);
            var mask = zeros(b, size, size, device: device);
            for (int i = 0; i < b; i++)
            {
                if (rng.NextDouble() >= anomalousShare) continue;
                labels[start + i] = tensor(1L);
                for (int k = rng.Next(1, 4); k > 0; k--) mask[i].logical_or_(Region(rng, gen, size, device));
            }
            var background = SmoothNoise(b, size, 8, gen, device).squeeze(1) * 0.3;
            var strength = SeededDraw.Uniform(gen, device, b, 1, 1) * 1.2 + 0.3;
            var bump = Blur(mask.unsqueeze(1), 3).squeeze(1) * strength;
            var grain = SeededDraw.Normal(gen, device, b, size, size) * 0.01; // keeps scores distinct, like real maps
            maps[TensorIndex.Slice(start, start + b)] = background + bump + grain;
            masks[TensorIndex.Slice(start, start + b)] = mask.to(ScalarType.Byte);
        }
        return new SyntheticScoreMaps(maps, masks, labels);
    }

    static Tensor Region(Random rng, torch.Generator gen, int size, Device device)
    {
        double cy = rng.NextDouble() * size, cx = rng.NextDouble() * size, angle = rng.NextDouble() * Math.PI;
        double ry = Math.Exp(Math.Log(3) + rng.NextDouble() * Math.Log(40.0 / 3)), rx = Math.Exp(Math.Log(3) + rng.NextDouble() * Math.Log(40.0 / 3));
        var y = arange(size, ScalarType.Float32, device: device).view(-1, 1) - cy;
        var x = arange(size, ScalarType.Float32, device: device).view(1, -1) - cx;
        var u = x * Math.Cos(angle) + y * Math.Sin(angle);
        var v = -x * Math.Sin(angle) + y * Math.Cos(angle);
        var rim = 1 + 0.25 * SmoothNoise(1, size, 16, gen, device).squeeze(); // ragged edge
        return (u / rx).square() + (v / ry).square() <= rim;
    }

    /// <summary>Unit-variance noise smooth over about <paramref name="cell"/> pixels: coarse noise, bilinearly upsampled.</summary>
    static Tensor SmoothNoise(int b, int size, int cell, torch.Generator gen, Device device)
    {
        int coarse = Math.Max(2, size / cell);
        var up = nn.functional.interpolate(SeededDraw.Normal(gen, device, b, 1, coarse, coarse),
            new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
        return up / up.std();
    }

    /// <summary>Separable Gaussian blur of [B,1,H,W] (zero padding).</summary>
    static Tensor Blur(Tensor x, double sigma)
    {
        int r = (int)Math.Ceiling(3 * sigma);
        var k = arange(-r, r + 1, ScalarType.Float32, device: x.device).div(sigma).square().mul(-0.5).exp();
        k = k / k.sum();
        var h = nn.functional.conv2d(x, k.view(1, 1, 1, -1), padding: new long[] { 0, r });
        return nn.functional.conv2d(h, k.view(1, 1, -1, 1), padding: new long[] { r, 0 });
    }

    public void Dispose() { Maps.Dispose(); Masks.Dispose(); Labels.Dispose(); }
}
