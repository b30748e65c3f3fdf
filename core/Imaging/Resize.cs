namespace Workbench.Imaging;

/// <summary>How a mask is brought to the target size.</summary>
public enum MaskResize
{
    /// <summary>Bilinear (antialiased) like the image, then value &gt; 0.5 (RD4AD's data code). Default.</summary>
    BilinearThreshold,
    /// <summary>Nearest neighbour with torch "nearest" indexing: source = floor(i · in/out).</summary>
    Nearest,
}

/// <summary>
/// Resizing with the semantics of torchvision <c>Resize</c> on tensors (bilinear, antialias=True,
/// align_corners=False), which is also PIL's bilinear filter: a separable triangle filter whose
/// support widens with the downscale factor, weights normalised over the in-bounds taps.
/// Pure C# so decoding threads need no torch calls; checked against torch in the tests.
/// </summary>
public static class Resize
{
    /// <summary>Resizes HWC float data (values in any range) to (outH, outW).</summary>
    public static float[] Bilinear(float[] src, int h, int w, int c, int outH, int outW)
    {
        if (h == outH && w == outW) return (float[])src.Clone();
        var (xIdx, xW, xN) = Taps(w, outW);
        var (yIdx, yW, yN) = Taps(h, outH);
        // Horizontal pass: h × outW × c
        var tmp = new float[h * outW * c];
        for (int y = 0; y < h; y++)
            for (int ox = 0; ox < outW; ox++)
                for (int ch = 0; ch < c; ch++)
                {
                    double acc = 0;
                    for (int k = 0; k < xN; k++) acc += xW[ox * xN + k] * src[(y * w + xIdx[ox * xN + k]) * c + ch];
                    tmp[(y * outW + ox) * c + ch] = (float)acc;
                }
        var dst = new float[outH * outW * c];
        for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
                for (int ch = 0; ch < c; ch++)
                {
                    double acc = 0;
                    for (int k = 0; k < yN; k++) acc += yW[oy * yN + k] * tmp[(yIdx[oy * yN + k] * outW + ox) * c + ch];
                    dst[(oy * outW + ox) * c + ch] = (float)acc;
                }
        return dst;
    }

    /// <summary>Resizes an 8-bit image; results are rounded back to 8 bits (as PIL does).</summary>
    public static RasterImage Bilinear(RasterImage img, int outH, int outW)
    {
        if (img.Height == outH && img.Width == outW) return img;
        var f = new float[img.Pixels.Length];
        for (int i = 0; i < f.Length; i++) f[i] = img.Pixels[i];
        var r = Bilinear(f, img.Height, img.Width, img.Channels, outH, outW);
        var b = new byte[r.Length];
        for (int i = 0; i < r.Length; i++) b[i] = (byte)Math.Clamp(MathF.Round(r[i]), 0f, 255f);
        return new RasterImage(outW, outH, img.Channels, b);
    }

    /// <summary>Binary mask (any nonzero input = anomalous) at the target size, values 0/1.</summary>
    public static RasterImage Mask(RasterImage gray, int outH, int outW, MaskResize mode = MaskResize.BilinearThreshold)
    {
        int h = gray.Height, w = gray.Width;
        var bin = new float[h * w];
        for (int i = 0; i < bin.Length; i++) bin[i] = gray.Pixels[i * gray.Channels] > 0 ? 1f : 0f;
        var dst = new byte[outH * outW];
        if (mode == MaskResize.Nearest)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                int sy = Math.Min((int)Math.Floor(oy * (double)h / outH), h - 1);
                for (int ox = 0; ox < outW; ox++)
                {
                    int sx = Math.Min((int)Math.Floor(ox * (double)w / outW), w - 1);
                    dst[oy * outW + ox] = (byte)bin[sy * w + sx];
                }
            }
        }
        else
        {
            var r = Bilinear(bin, h, w, 1, outH, outW);
            for (int i = 0; i < r.Length; i++) dst[i] = r[i] > 0.5f ? (byte)1 : (byte)0;
        }
        return new RasterImage(outW, outH, 1, dst);
    }

    // Antialiased triangle-filter taps for one axis (PIL ImagingResample / ATen _upsample_bilinear2d_aa).
    static (int[] idx, double[] weight, int n) Taps(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double support = scale >= 1.0 ? scale : 1.0;
        int n = (int)Math.Ceiling(support) * 2 + 1;
        var idx = new int[outSize * n];
        var wts = new double[outSize * n];
        for (int o = 0; o < outSize; o++)
        {
            double center = scale * (o + 0.5);
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize);
            double total = 0;
            int k = 0;
            for (int x = xmin; x < xmax && k < n; x++, k++)
            {
                double t = Math.Max(0.0, 1.0 - Math.Abs((x - center + 0.5) / support));
                idx[o * n + k] = x; wts[o * n + k] = t; total += t;
            }
            for (int j = 0; j < k; j++) wts[o * n + j] = total > 0 ? wts[o * n + j] / total : 0;
            for (int j = k; j < n; j++) { idx[o * n + j] = xmin; wts[o * n + j] = 0; }
        }
        return (idx, wts, n);
    }
}
