using Workbench.Data.Synthesis;

namespace Workbench.Data.Synthetic;

/// <summary>
/// An object-like category: a simple shape given by a signed distance function (pixels,
/// negative inside) on a smooth background, with per-image pose, scale, colour and lighting.
/// Defects that change the shape (missing part, deformation) re-render the same scene with a
/// modified distance function, so everything else stays identical.
/// </summary>
public sealed class ObjectScene
{
    public static readonly IReadOnlyList<string> Kinds = new[] { "washer", "pill", "hexnut" };

    /// <summary>Modifies the distance d at local (object-frame) coordinates (lx, ly).</summary>
    public delegate double DistanceEdit(double d, double lx, double ly);

    public string Kind { get; }
    public int Size { get; }
    readonly double cx, cy, angle, scale;
    readonly (double r, double g, double b) colourA, colourB, background;
    readonly double lightAngle, brightness, slope;
    readonly int noiseSeed;

    ObjectScene(string kind, int size, Random rng)
    {
        double J(double v) => v * (2 * rng.NextDouble() - 1);
        (double, double, double) C(double r, double g, double b, double j) => (r + J(j), g + J(j), b + J(j));
        Kind = kind; Size = size;
        cx = size * (0.5 + J(0.05)); cy = size * (0.5 + J(0.05));
        scale = 1 + J(0.06);
        (angle, colourA, colourB, background) = kind switch
        {
            "washer" => (rng.NextDouble() * 2 * Math.PI, C(0.62, 0.63, 0.66, 0.05), C(0.62, 0.63, 0.66, 0), C(0.20, 0.22, 0.24, 0.04)),
            "pill" => (rng.NextDouble() * Math.PI, C(0.78, 0.30, 0.25, 0.05), C(0.90, 0.88, 0.82, 0.03), C(0.30, 0.32, 0.30, 0.04)),
            "hexnut" => (rng.NextDouble() * Math.PI / 3, C(0.74, 0.62, 0.32, 0.05), C(0.74, 0.62, 0.32, 0), C(0.82, 0.82, 0.84, 0.04)),
            _ => throw new ArgumentException($"unknown object '{kind}' (expected {string.Join(", ", Kinds)})"),
        };
        if (kind != "pill") colourB = colourA;
        lightAngle = rng.NextDouble() * 2 * Math.PI;
        brightness = 1 + J(0.08);
        slope = 0.2 * rng.NextDouble();
        noiseSeed = rng.Next();
    }

    public static ObjectScene Draw(string kind, int size, Random rng) => new(kind, size, rng);

    /// <summary>Outer radius of the object in pixels (for sizing defects).</summary>
    public double Radius => Kind switch { "washer" => 0.30, "pill" => 0.38, _ => 0.30 } * Size * scale;

    public double Distance(double lx, double ly)
    {
        double s = Size * scale;
        double len = Math.Sqrt(lx * lx + ly * ly);
        switch (Kind)
        {
            case "washer": return Math.Max(len - 0.30 * s, 0.12 * s - len);
            case "pill":
            {
                double half = 0.26 * s, px = Math.Clamp(lx, -half, half);
                return Math.Sqrt((lx - px) * (lx - px) + ly * ly) - 0.12 * s;
            }
            default:
            {
                double ax = Math.Abs(lx), ay = Math.Abs(ly);
                double hex = Math.Max(ay, ax * 0.8660254 + ay * 0.5) - 0.26 * s;
                return Math.Max(hex, 0.10 * s - len);
            }
        }
    }

    /// <summary>Image → object frame.</summary>
    public (double lx, double ly) ToLocal(double x, double y)
    {
        double dx = x - cx, dy = y - cy, c = Math.Cos(angle), s = Math.Sin(angle);
        return (c * dx + s * dy, -s * dx + c * dy);
    }

    /// <summary>Renders the scene (optionally with an edited shape); returns the image and the object's coverage.</summary>
    public (Rgb Image, float[] Coverage) Render(DistanceEdit? edit = null)
    {
        int n = Size;
        var rng = new Random(noiseSeed);
        var bgNoise = PerlinNoise.Generate(n, n, 3, 3, rng);
        var surface = PerlinNoise.Fractal(n, n, 6, 2, 0.5, rng);
        var img = new Rgb(n);
        var cov = new float[n * n];
        double lx0 = Math.Cos(lightAngle), ly0 = Math.Sin(lightAngle), R = Radius;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                int i = y * n + x;
                var (lx, ly) = ToLocal(x + 0.5, y + 0.5);
                double d = Distance(lx, ly);
                if (edit != null) d = edit(d, lx, ly);
                double c = Math.Clamp(0.5 - d, 0, 1);
                cov[i] = (float)c;
                double b = 1 + 0.05 * bgNoise[i];
                double or = background.r * b, og = background.g * b, ob = background.b * b;
                if (c > 0)
                {
                    // Fake relief: lit side brighter, edges darker, a little surface grain.
                    double t = Math.Clamp(0.5 + lx / (0.08 * Size), 0, 1); // two-tone split for the pill
                    var (ar, ag, ab) = colourA; var (br, bg, bb) = colourB;
                    double shade = 0.9 + 0.18 * ((lx * lx0 + ly * ly0) / R) + 0.12 * Math.Clamp(-d / (0.04 * Size), 0, 1) - 0.1 + 0.04 * surface[i];
                    double sr = (ar + t * (br - ar)) * shade, sg = (ag + t * (bg - ag)) * shade, sb = (ab + t * (bb - ab)) * shade;
                    or = (1 - c) * or + c * sr; og = (1 - c) * og + c * sg; ob = (1 - c) * ob + c * sb;
                }
                img.Set(i, or, og, ob);
            }
        img.Light(brightness, slope, lightAngle);
        img.Noise(0.012, rng);
        return (img, cov);
    }

    /// <summary>A point on the outer boundary in direction <paramref name="phi"/> (object frame).</summary>
    public (double lx, double ly) BoundaryPoint(double phi)
    {
        double c = Math.Cos(phi), s = Math.Sin(phi), r = 0;
        // march outwards to the outermost sign change (the hole of washers/nuts is skipped)
        double last = 0;
        for (double t = 0; t < Size; t += 0.25)
            if (Distance(c * t, s * t) <= 0) last = t;
        r = last;
        return (c * r, s * r);
    }
}
