namespace Workbench.Data.Synthesis;

/// <summary>
/// DRAEM-style anomaly masks (Zavrtanik et al., ICCV 2021, also used by DSKD): Perlin noise
/// with lattice scales 2^k, k uniform in [MinScaleExp, MaxScaleExp), randomly rotated
/// (±90°), thresholded at 0.5. Redrawn until non-empty, so every synthesized sample is anomalous.
/// </summary>
public sealed record PerlinMaskOptions(double Threshold = 0.5, int MinScaleExp = 0, int MaxScaleExp = 6, int MaxTries = 32);

public static class PerlinMask
{
    /// <summary>Row-major h×w mask of 0/1 bytes.</summary>
    public static byte[] Generate(int h, int w, Random rng, PerlinMaskOptions? options = null)
    {
        var o = options ?? new PerlinMaskOptions();
        for (int attempt = 0; ; attempt++)
        {
            double sx = Math.Pow(2, rng.Next(o.MinScaleExp, o.MaxScaleExp));
            double sy = Math.Pow(2, rng.Next(o.MinScaleExp, o.MaxScaleExp));
            double angle = (rng.NextDouble() * 180 - 90) * Math.PI / 180;
            var n = PerlinNoise.Generate(h, w, sy, sx, rng, angle);
            // After MaxTries empty draws (tiny images), lower the bar to the noise maximum.
            double thr = attempt < o.MaxTries ? o.Threshold : n.Max() - 1e-6;
            var m = new byte[h * w];
            bool any = false;
            for (int i = 0; i < m.Length; i++) if (n[i] > thr) { m[i] = 1; any = true; }
            if (any) return m;
        }
    }
}
