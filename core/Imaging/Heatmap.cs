namespace Workbench.Imaging;

/// <summary>Anomaly maps as colour images: the jet colormap and an alpha overlay on the input.</summary>
public static class Heatmap
{
    /// <summary>Matplotlib-style jet for v in [0,1] → RGB bytes.</summary>
    public static (byte r, byte g, byte b) Jet(float v)
    {
        v = float.IsNaN(v) ? 0 : Math.Clamp(v, 0f, 1f);
        float r = Math.Clamp(1.5f - Math.Abs(4f * v - 3f), 0f, 1f);
        float g = Math.Clamp(1.5f - Math.Abs(4f * v - 2f), 0f, 1f);
        float b = Math.Clamp(1.5f - Math.Abs(4f * v - 1f), 0f, 1f);
        return ((byte)(r * 255 + 0.5f), (byte)(g * 255 + 0.5f), (byte)(b * 255 + 0.5f));
    }

    /// <summary>Colours a row-major H×W map, scaled linearly from [lo, hi] to [0,1].</summary>
    public static RasterImage Colorize(float[] map, int h, int w, float lo, float hi)
    {
        if (map.Length != h * w) throw new ArgumentException($"map has {map.Length} values, expected {h}×{w}");
        float span = hi > lo ? hi - lo : 1f;
        var px = new byte[h * w * 3];
        for (int i = 0; i < h * w; i++)
        {
            var (r, g, b) = Jet((map[i] - lo) / span);
            px[i * 3] = r; px[i * 3 + 1] = g; px[i * 3 + 2] = b;
        }
        return new RasterImage(w, h, 3, px);
    }

    /// <summary>(1 − alpha)·image + alpha·heat, both RGB of the same size.</summary>
    public static RasterImage Overlay(RasterImage image, RasterImage heat, float alpha = 0.5f)
    {
        if (image.Width != heat.Width || image.Height != heat.Height || image.Channels != 3 || heat.Channels != 3)
            throw new ArgumentException($"overlay needs two RGB images of one size, got {image.Width}×{image.Height}×{image.Channels} and {heat.Width}×{heat.Height}×{heat.Channels}");
        var px = new byte[image.Pixels.Length];
        for (int i = 0; i < px.Length; i++)
            px[i] = (byte)Math.Clamp(MathF.Round((1 - alpha) * image.Pixels[i] + alpha * heat.Pixels[i]), 0f, 255f);
        return image with { Pixels = px };
    }

    /// <summary>Draws the outline of a 0/1 mask onto an RGB image in the given colour.</summary>
    public static RasterImage Contour(RasterImage image, RasterImage mask, (byte r, byte g, byte b) colour)
    {
        var px = (byte[])image.Pixels.Clone();
        int w = image.Width, h = image.Height;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (mask.Pixels[y * w + x] == 0) continue;
                bool edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || mask.Pixels[y * w + x - 1] == 0 || mask.Pixels[y * w + x + 1] == 0
                    || mask.Pixels[(y - 1) * w + x] == 0 || mask.Pixels[(y + 1) * w + x] == 0;
                if (!edge) continue;
                int i = (y * w + x) * 3;
                px[i] = colour.r; px[i + 1] = colour.g; px[i + 2] = colour.b;
            }
        return image with { Pixels = px };
    }
}
