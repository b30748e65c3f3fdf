using static TorchSharp.torch;

namespace Workbench.Distillation;

/// <summary>
/// Gaussian smoothing of anomaly maps exactly as scipy.ndimage.gaussian_filter(sigma, truncate=4,
/// mode='reflect'), which RD4AD's evaluation applies (σ = 4 → radius 16, a 33×33 kernel).
/// scipy's 'reflect' repeats the edge sample (d c b a | a b c d), which torch's pad modes do not
/// offer, so the padding is built with index_select. Separable; runs on the map's device.
/// </summary>
public static class GaussianBlur
{
    public static int Radius(double sigma, double truncate = 4.0) => (int)(truncate * sigma + 0.5);

    /// <summary>The normalised 1-D kernel scipy uses.</summary>
    public static float[] Kernel(double sigma, double truncate = 4.0)
    {
        int r = Radius(sigma, truncate);
        var k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) k[i + r] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        double sum = k.Sum();
        return k.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>Smooths [B,1,H,W] (or [B,C,H,W], per channel). σ ≤ 0 returns a copy.</summary>
    public static Tensor Apply(Tensor maps, double sigma, double truncate = 4.0)
    {
        if (sigma <= 0) return maps.clone();
        using var scope = NewDisposeScope();
        int r = Radius(sigma, truncate);
        long c = maps.shape[1];
        var k = tensor(Kernel(sigma, truncate), dtype: maps.dtype, device: maps.device);
        var kx = k.reshape(1, 1, 1, -1).expand(c, 1, 1, k.shape[0]).contiguous();
        var ky = k.reshape(1, 1, -1, 1).expand(c, 1, k.shape[0], 1).contiguous();
        var x = SymmetricPad(maps, r, dim: 3);
        x = nn.functional.conv2d(x, kx, groups: c);
        x = SymmetricPad(x, r, dim: 2);
        x = nn.functional.conv2d(x, ky, groups: c);
        return x.MoveToOuterDisposeScope();
    }

    // Index map for scipy 'reflect' padding along one axis; works for pads wider than the axis too.
    static Tensor SymmetricPad(Tensor x, int pad, int dim)
    {
        long n = x.shape[dim];
        var idx = new long[n + 2 * pad];
        for (long i = 0; i < idx.Length; i++)
        {
            long j = i - pad;
            long period = 2 * n;
            j = ((j % period) + period) % period;
            idx[i] = j < n ? j : period - 1 - j;
        }
        return x.index_select(dim, tensor(idx, device: x.device));
    }
}
