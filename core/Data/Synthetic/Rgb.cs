using Workbench.Imaging;

namespace Workbench.Data.Synthetic;

/// <summary>A square float RGB image (row-major HWC, values nominally in [0,1]) being painted.</summary>
public sealed class Rgb(int size)
{
    public int Size { get; } = size;
    public float[] Data { get; } = new float[size * size * 3];

    public void Set(int i, double r, double g, double b) { Data[i * 3] = (float)r; Data[i * 3 + 1] = (float)g; Data[i * 3 + 2] = (float)b; }

    /// <summary>Data := (1 − a)·Data + a·target per pixel (a in [0,1]).</summary>
    public void Blend(float[] alpha, Rgb target)
    {
        for (int i = 0; i < alpha.Length; i++)
        {
            float a = alpha[i];
            if (a <= 0) continue;
            for (int c = 0; c < 3; c++) Data[i * 3 + c] = (1 - a) * Data[i * 3 + c] + a * target.Data[i * 3 + c];
        }
    }

    public Rgb Clone() { var r = new Rgb(Size); Data.CopyTo(r.Data, 0); return r; }

    public RasterImage ToRaster()
    {
        var px = new byte[Data.Length];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)Math.Clamp(Math.Round(Data[i] * 255.0), 0, 255);
        return new RasterImage(Size, Size, 3, px);
    }

    /// <summary>Multiplies by a smooth lighting field: brightness·(1 + slope·(position along a direction)).</summary>
    public void Light(double brightness, double slope, double angle)
    {
        double dx = Math.Cos(angle), dy = Math.Sin(angle);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double t = ((x + 0.5) / Size - 0.5) * dx + ((y + 0.5) / Size - 0.5) * dy;
                double f = brightness * (1 + slope * t);
                int i = (y * Size + x) * 3;
                for (int c = 0; c < 3; c++) Data[i + c] = (float)(Data[i + c] * f);
            }
    }

    /// <summary>Adds per-pixel Gaussian sensor noise of standard deviation <paramref name="sigma"/>.</summary>
    public void Noise(double sigma, Random rng)
    {
        for (int i = 0; i < Size * Size; i++)
        {
            double n = sigma * Gaussian(rng);
            for (int c = 0; c < 3; c++) Data[i * 3 + c] += (float)(n + sigma * 0.3 * Gaussian(rng));
        }
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
