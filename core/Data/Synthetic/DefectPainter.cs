namespace Workbench.Data.Synthetic;

/// <summary>
/// Paints one local defect onto a rendered image and returns its 0/1 mask. Alpha-style defects
/// (scratch, stain, hole, spot) blend a target look in with a soft shape; the mask is where the
/// shape is at least half on. Shape defects (missing, deform) re-render the object.
/// </summary>
public static class DefectPainter
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefectsOf = new Dictionary<string, IReadOnlyList<string>>
    {
        ["woven"] = new[] { "scratch", "hole", "stain" },
        ["grainy"] = new[] { "scratch", "hole", "stain" },
        ["striped"] = new[] { "scratch", "hole", "stain" },
        ["washer"] = new[] { "missing", "deform", "spot" },
        ["pill"] = new[] { "missing", "spot", "scratch" },
        ["hexnut"] = new[] { "deform", "missing", "scratch" },
    };

    /// <summary>Texture category: paints <paramref name="defect"/> onto <paramref name="normal"/> (modified in place).</summary>
    public static byte[] OnTexture(Rgb img, string defect, Random rng) => defect switch
    {
        "scratch" => Scratch(img, rng, null),
        "hole" => Hole(img, rng),
        "stain" => Stain(img, rng),
        _ => throw new ArgumentException($"unknown texture defect '{defect}'"),
    };

    /// <summary>Object category: renders the scene with the defect; returns the image and mask.</summary>
    public static (Rgb Image, byte[] Mask) OnObject(ObjectScene scene, string defect, Random rng)
    {
        int n = scene.Size;
        switch (defect)
        {
            case "missing":
            {
                var (bx, by) = scene.BoundaryPoint(rng.NextDouble() * 2 * Math.PI);
                double rho = n * (0.07 + 0.04 * rng.NextDouble());
                return ShapeChange(scene, (d, lx, ly) => Math.Max(d, rho - Math.Sqrt((lx - bx) * (lx - bx) + (ly - by) * (ly - by))));
            }
            case "deform":
            {
                double phi0 = rng.NextDouble() * 2 * Math.PI;
                double amp = n * (0.035 + 0.03 * rng.NextDouble()) * (rng.NextDouble() < 0.5 ? 1 : -1);
                double sigma = 0.25 + 0.15 * rng.NextDouble();
                return ShapeChange(scene, (d, lx, ly) =>
                {
                    double dphi = Math.IEEERemainder(Math.Atan2(ly, lx) - phi0, 2 * Math.PI);
                    return d - amp * Math.Exp(-dphi * dphi / (2 * sigma * sigma));
                });
            }
            case "spot":
            {
                var (img, cov) = scene.Render();
                return (img, Spot(img, cov, rng));
            }
            case "scratch":
            {
                var (img, cov) = scene.Render();
                return (img, Scratch(img, rng, cov));
            }
            default: throw new ArgumentException($"unknown object defect '{defect}'");
        }
    }

    static (Rgb, byte[]) ShapeChange(ObjectScene scene, ObjectScene.DistanceEdit edit)
    {
        var (_, before) = scene.Render();
        var (img, after) = scene.Render(edit);
        var mask = new byte[before.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = (byte)((before[i] > 0.5) != (after[i] > 0.5) ? 1 : 0);
        return (img, mask);
    }

    // A thin curved line (quadratic Bézier), lighter or darker than the surface.
    static byte[] Scratch(Rgb img, Random rng, float[]? within)
    {
        int n = img.Size;
        double k = n / 128.0;
        var (p0x, p0y) = Inside(rng, n, within);
        double len = n * (0.18 + 0.2 * rng.NextDouble()), dir = rng.NextDouble() * 2 * Math.PI;
        double p2x = p0x + len * Math.Cos(dir), p2y = p0y + len * Math.Sin(dir);
        double bend = len * 0.3 * (2 * rng.NextDouble() - 1);
        double p1x = (p0x + p2x) / 2 - bend * Math.Sin(dir), p1y = (p0y + p2y) / 2 + bend * Math.Cos(dir);
        double halfWidth = k * (0.6 + 0.5 * rng.NextDouble());
        const int segs = 48;
        var pts = new (double x, double y)[segs + 1];
        for (int s = 0; s <= segs; s++)
        {
            double t = s / (double)segs, a = (1 - t) * (1 - t), b = 2 * (1 - t) * t, c = t * t;
            pts[s] = (a * p0x + b * p1x + c * p2x, a * p0y + b * p1y + c * p2y);
        }
        var shape = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                double best = double.MaxValue;
                for (int s = 0; s < segs; s++) best = Math.Min(best, SegmentDistance(x + 0.5, y + 0.5, pts[s], pts[s + 1]));
                shape[y * n + x] = (float)Math.Clamp(halfWidth + 0.5 - best, 0, 1);
            }
        double factor = rng.NextDouble() < 0.5 ? 1.45 : 0.55;
        return BlendShape(img, shape, within, 0.85, (r, g, b) => (r * factor, g * factor, b * factor));
    }

    // A dark roundish hole with a lighter frayed rim.
    static byte[] Hole(Rgb img, Random rng)
    {
        int n = img.Size;
        var (cx, cy) = Inside(rng, n, null);
        double rho = n * (0.03 + 0.025 * rng.NextDouble());
        var shape = Blob(n, cx, cy, rho, 0.15, rng);
        var mask = BlendShape(img, shape, null, 0.92, (r, g, b) => (r * 0.22, g * 0.2, b * 0.2));
        return mask;
    }

    // A translucent colour stain with an irregular outline.
    static byte[] Stain(Rgb img, Random rng)
    {
        int n = img.Size;
        var (cx, cy) = Inside(rng, n, null);
        double rho = n * (0.06 + 0.05 * rng.NextDouble());
        var shape = Blob(n, cx, cy, rho, 0.3, rng);
        double strength = 0.45 + 0.25 * rng.NextDouble();
        var tint = rng.Next(3) switch { 0 => (0.85, 0.62, 0.35), 1 => (0.55, 0.7, 0.45), _ => (0.6, 0.55, 0.8) };
        return BlendShape(img, shape, null, strength, (r, g, b) => (r * tint.Item1, g * tint.Item2, b * tint.Item3));
    }

    // A small dark or coloured spot on the object's surface.
    static byte[] Spot(Rgb img, float[] coverage, Random rng)
    {
        int n = img.Size;
        var (cx, cy) = Inside(rng, n, coverage, margin: 3);
        double rho = n * (0.02 + 0.02 * rng.NextDouble());
        var shape = Blob(n, cx, cy, rho, 0.2, rng);
        var look = rng.Next(2) == 0 ? (0.3, 0.25, 0.2) : (0.9, 0.55, 0.5);
        return BlendShape(img, shape, coverage, 0.75, (r, g, b) => (r * look.Item1, g * look.Item2, b * look.Item3));
    }

    // Soft disc with an outline wobbled by a few random harmonics; 1 inside, 0 outside.
    static float[] Blob(int n, double cx, double cy, double rho, double wobble, Random rng)
    {
        var amp = new double[3]; var ph = new double[3];
        for (int h = 0; h < 3; h++) { amp[h] = wobble * rng.NextDouble() / (h + 1); ph[h] = rng.NextDouble() * 2 * Math.PI; }
        var shape = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy, th = Math.Atan2(dy, dx);
                double r = rho;
                for (int h = 0; h < 3; h++) r *= 1 + amp[h] * Math.Sin((h + 2) * th + ph[h]);
                double dist = Math.Sqrt(dx * dx + dy * dy) - r;
                shape[y * n + x] = (float)Math.Clamp(0.5 - dist / 1.5, 0, 1);
            }
        return shape;
    }

    static byte[] BlendShape(Rgb img, float[] shape, float[]? within, double strength, Func<double, double, double, (double, double, double)> look)
    {
        var target = img.Clone();
        var alpha = new float[shape.Length];
        var mask = new byte[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            double s = shape[i] * (within?[i] ?? 1f);
            alpha[i] = (float)(strength * s);
            mask[i] = (byte)(s >= 0.5 ? 1 : 0);
            var (r, g, b) = look(img.Data[i * 3], img.Data[i * 3 + 1], img.Data[i * 3 + 2]);
            target.Set(i, r, g, b);
        }
        img.Blend(alpha, target);
        return mask;
    }

    static (double x, double y) Inside(Random rng, int n, float[]? within, int margin = 0)
    {
        for (int tries = 0; tries < 1000; tries++)
        {
            double x = n * (0.15 + 0.7 * rng.NextDouble()), y = n * (0.15 + 0.7 * rng.NextDouble());
            if (within == null || Covered(within, n, x, y, margin)) return (x, y);
        }
        return (n / 2.0, n / 2.0);
    }

    static bool Covered(float[] cov, int n, double x, double y, int margin)
    {
        for (int dy = -margin; dy <= margin; dy++)
            for (int dx = -margin; dx <= margin; dx++)
            {
                int xi = (int)x + dx, yi = (int)y + dy;
                if (xi < 0 || yi < 0 || xi >= n || yi >= n || cov[yi * n + xi] < 0.99f) return false;
            }
        return true;
    }

    static double SegmentDistance(double px, double py, (double x, double y) a, (double x, double y) b)
    {
        double vx = b.x - a.x, vy = b.y - a.y, wx = px - a.x, wy = py - a.y;
        double t = Math.Clamp((vx * wx + vy * wy) / Math.Max(vx * vx + vy * vy, 1e-12), 0, 1);
        double dx = wx - t * vx, dy = wy - t * vy;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
