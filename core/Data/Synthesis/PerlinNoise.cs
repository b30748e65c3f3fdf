namespace Workbench.Data.Synthesis;

/// <summary>
/// 2-D gradient (Perlin) noise, pure C# and seeded by a System.Random so it is identical on
/// every device. Follows DRAEM's rand_perlin_2d (Zavrtanik et al., ICCV 2021): random unit
/// gradients on a lattice, quintic fade 6t⁵−15t⁴+10t³, output scaled by √2 (≈ [−1,1]).
/// </summary>
public static class PerlinNoise
{
    /// <summary>Noise on an h×w grid with resY×resX lattice cells, sampled in a frame rotated by
    /// <paramref name="angle"/> radians about the centre (DRAEM rotates its masks).</summary>
    public static float[] Generate(int h, int w, double resY, double resX, Random rng, double angle = 0)
    {
        // Rotation can move samples outside [0,res): give the lattice a margin.
        int margin = angle == 0 ? 1 : (int)Math.Ceiling(Math.Max(resX, resY) * 0.5) + 1;
        int gy = (int)Math.Ceiling(resY) + 2 * margin + 1, gx = (int)Math.Ceiling(resX) + 2 * margin + 1;
        var gxv = new double[gy * gx];
        var gyv = new double[gy * gx];
        for (int i = 0; i < gy * gx; i++)
        {
            double a = 2 * Math.PI * rng.NextDouble();
            gxv[i] = Math.Cos(a); gyv[i] = Math.Sin(a);
        }
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        var outp = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                // lattice coordinates relative to the centre, rotated, then shifted into the margin
                double cu = (x + 0.5) * resX / w - resX / 2, cv = (y + 0.5) * resY / h - resY / 2;
                double u = cos * cu - sin * cv + resX / 2 + margin, v = sin * cu + cos * cv + resY / 2 + margin;
                int ix = Math.Clamp((int)Math.Floor(u), 0, gx - 2), iy = Math.Clamp((int)Math.Floor(v), 0, gy - 2);
                double fx = u - ix, fy = v - iy;
                double Dot(int j, int i, double dx, double dy) => gxv[j * gx + i] * dx + gyv[j * gx + i] * dy;
                double n00 = Dot(iy, ix, fx, fy), n10 = Dot(iy, ix + 1, fx - 1, fy);
                double n01 = Dot(iy + 1, ix, fx, fy - 1), n11 = Dot(iy + 1, ix + 1, fx - 1, fy - 1);
                double sx = Fade(fx), sy = Fade(fy);
                double top = n00 + sx * (n10 - n00), bottom = n01 + sx * (n11 - n01);
                outp[y * w + x] = (float)(Math.Sqrt(2) * (top + sy * (bottom - top)));
            }
        return outp;
    }

    /// <summary>Sum of octaves (resolution doubling, amplitude × persistence), for textures.</summary>
    public static float[] Fractal(int h, int w, double res, int octaves, double persistence, Random rng)
    {
        var sum = new float[h * w];
        double amp = 1, r = res;
        for (int o = 0; o < octaves; o++, amp *= persistence, r *= 2)
        {
            var n = Generate(h, w, r, r, rng);
            for (int i = 0; i < sum.Length; i++) sum[i] += (float)(amp * n[i]);
        }
        return sum;
    }

    static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);
}
