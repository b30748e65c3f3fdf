using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Imaging;

/// <summary>Conversions between 8-bit rasters and float tensors, and ImageNet normalisation.</summary>
public static class ImageTensors
{
    public static readonly float[] ImageNetMean = { 0.485f, 0.456f, 0.406f };
    public static readonly float[] ImageNetStd = { 0.229f, 0.224f, 0.225f };

    /// <summary>RGB raster → float [3,H,W] in [0,1] (a mask raster → [1,H,W] with its 0/1 values).</summary>
    public static Tensor ToTensor(RasterImage img, Device? device = null)
    {
        int hw = img.Width * img.Height, c = img.Channels;
        var data = new float[c * hw];
        bool isMask = c == 1;
        for (int i = 0; i < hw; i++)
            for (int ch = 0; ch < c; ch++)
                data[ch * hw + i] = isMask ? img.Pixels[i] : img.Pixels[i * c + ch] / 255f;
        var t = tensor(data, new long[] { c, img.Height, img.Width });
        return device == null ? t : t.to(device);
    }

    /// <summary>(x − mean) / std per channel for [3,H,W] or [B,3,H,W] in [0,1].</summary>
    public static Tensor NormalizeImageNet(Tensor x)
    {
        using var scope = NewDisposeScope();
        var shape = x.dim() == 4 ? new long[] { 1, 3, 1, 1 } : new long[] { 3, 1, 1 };
        var mean = tensor(ImageNetMean, shape, device: x.device);
        var std = tensor(ImageNetStd, shape, device: x.device);
        return ((x - mean) / std).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse of <see cref="NormalizeImageNet"/>, clamped to [0,1], for display.</summary>
    public static Tensor DenormalizeImageNet(Tensor x)
    {
        using var scope = NewDisposeScope();
        var shape = x.dim() == 4 ? new long[] { 1, 3, 1, 1 } : new long[] { 3, 1, 1 };
        var mean = tensor(ImageNetMean, shape, device: x.device);
        var std = tensor(ImageNetStd, shape, device: x.device);
        return (x * std + mean).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Float [3,H,W] (or [1,H,W]) in [0,1] → 8-bit RGB raster (gray replicated).</summary>
    public static RasterImage ToRaster(Tensor chw)
    {
        using var scope = NewDisposeScope();
        var t = chw.detach().to(CPU).to(ScalarType.Float32);
        if (t.dim() != 3) throw new ArgumentException($"expected [C,H,W], got [{string.Join(",", t.shape)}]");
        int c = (int)t.shape[0], h = (int)t.shape[1], w = (int)t.shape[2];
        var data = t.contiguous().data<float>().ToArray();
        var px = new byte[h * w * 3];
        for (int i = 0; i < h * w; i++)
            for (int ch = 0; ch < 3; ch++)
                px[i * 3 + ch] = (byte)Math.Clamp(MathF.Round(data[(c == 1 ? 0 : ch) * h * w + i] * 255f), 0f, 255f);
        return new RasterImage(w, h, 3, px);
    }
}
