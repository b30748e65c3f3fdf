using Workbench.Data.Synthesis;

namespace Workbench.Data.Synthetic;

/// <summary>
/// Procedural texture categories. Each image draws its own period, orientation, colour and
/// lighting around the category's base values, so normal images vary as real ones do.
/// </summary>
public static class TextureRenderer
{
    public static readonly IReadOnlyList<string> Kinds = new[] { "woven", "grainy", "striped" };

    /// <param name="variation">1 = the benchmark's within-category variation; larger values give the
    /// wider range of looks the synthesis texture source wants.</param>
    public static Rgb Render(string kind, int size, Random rng, double variation = 1)
    {
        var img = kind switch
        {
            "woven" => Woven(size, rng, variation),
            "grainy" => Grainy(size, rng, variation),
            "striped" => Striped(size, rng, variation),
            _ => throw new ArgumentException($"unknown texture '{kind}' (expected {string.Join(", ", Kinds)})"),
        };
        img.Light(1 + 0.08 * variation * (2 * rng.NextDouble() - 1), 0.25 * variation * rng.NextDouble(), 2 * Math.PI * rng.NextDouble());
        img.Noise(0.015, rng);
        return img;
    }

    static double J(Random rng, double v) => v * (2 * rng.NextDouble() - 1);

    static (double r, double g, double b) Colour(Random rng, double r, double g, double b, double jitter) =>
        (r + J(rng, jitter), g + J(rng, jitter), b + J(rng, jitter));

    static Rgb Woven(int size, Random rng, double v)
    {
        var img = new Rgb(size);
        double period = size / (11.0 + J(rng, 1.0 * v));
        double angle = J(rng, 0.06 * v);
        double u0 = rng.NextDouble() * period * 2, v0 = rng.NextDouble() * period * 2;
        var (cr, cg, cb) = Colour(rng, 0.72, 0.62, 0.46, 0.04 * v);
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        var fibre = PerlinNoise.Generate(size, size, 24, 24, rng);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (cos * x - sin * y + u0) / period, w = (sin * x + cos * y + v0) / period;
                int i = (int)Math.Floor(u), j = (int)Math.Floor(w);
                double fu = u - i, fw = w - j;
                bool horizontalOnTop = ((i + j) & 1) == 0;
                double across = horizontalOnTop ? fw : fu, along = horizontalOnTop ? fu : fw;
                double profile = Math.Sqrt(Math.Sin(Math.PI * across));
                double s = 0.55 + 0.4 * profile + 0.05 * Math.Sin(2 * Math.PI * along * 3) + 0.05 * fibre[y * size + x];
                double tone = horizontalOnTop ? 1.0 : 0.93;
                img.Set(y * size + x, cr * s * tone, cg * s * tone, cb * s * tone);
            }
        return img;
    }

    static Rgb Grainy(int size, Random rng, double v)
    {
        var img = new Rgb(size);
        var n = PerlinNoise.Fractal(size, size, 3 + J(rng, 1 * v) + 1, 4, 0.55, rng);
        var (ar, ag, ab) = Colour(rng, 0.42, 0.40, 0.38, 0.04 * v);
        var (br, bg, bb) = Colour(rng, 0.66, 0.62, 0.56, 0.04 * v);
        for (int i = 0; i < size * size; i++)
        {
            double t = Math.Clamp(0.5 + 0.45 * n[i] + 0.12 * Rgb.Gaussian(rng), 0, 1);
            img.Set(i, ar + t * (br - ar), ag + t * (bg - ag), ab + t * (bb - ab));
        }
        return img;
    }

    static Rgb Striped(int size, Random rng, double v)
    {
        var img = new Rgb(size);
        double period = size / (9.0 + J(rng, 0.8 * v));
        double angle = 0.5 + J(rng, 0.07 * v);
        double phase = rng.NextDouble() * 2 * Math.PI;
        var warp = PerlinNoise.Generate(size, size, 2, 2, rng);
        var (ar, ag, ab) = Colour(rng, 0.25, 0.35, 0.55, 0.04 * v);
        var (br, bg, bb) = Colour(rng, 0.80, 0.78, 0.70, 0.04 * v);
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (cos * x + sin * y) / period * 2 * Math.PI + phase + 0.8 * warp[y * size + x];
                double t = Math.Clamp(0.5 + 0.65 * Math.Sin(u), 0, 1);
                img.Set(y * size + x, ar + t * (br - ar), ag + t * (bg - ag), ab + t * (bb - ab));
            }
        return img;
    }
}
