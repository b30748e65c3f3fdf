using Workbench.Imaging;
using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>β range and mask shape for <see cref="TextureNoise"/>.</summary>
public sealed record TextureNoiseOptions(double BetaMin = 0.15, double BetaMax = 1.0, PerlinMaskOptions? Mask = null);

/// <summary>
/// Texture-noise anomalies as in DSKD: I_a = β(M⊙A) + (1−β)(M⊙I_n) + (1−M)⊙I_n, with M a
/// thresholded Perlin mask (DRAEM, Zavrtanik et al. ICCV 2021), β ~ U[0.15, 1] per image and A
/// a texture from <see cref="ITextureSource"/>. Works on images in [0,1] (before ImageNet
/// normalisation). Masks, β and textures are drawn on the host from the seed, so the result is
/// the same on every device; the blend runs on the images' device. Pixels outside M are exactly I_n.
/// </summary>
/// <param name="drawAhead">host-side draws computed ahead (<see cref="DrawAhead{T}"/>); null: <see cref="DrawAhead{T}.DefaultDepth"/> for the images' device</param>
public sealed class TextureNoise(ITextureSource? textures = null, TextureNoiseOptions? options = null, int? drawAhead = null)
{
    readonly ITextureSource source = textures ?? new ProceduralTextureSource();
    readonly TextureNoiseOptions opts = options ?? new TextureNoiseOptions();
    DrawAhead<TextureNoiseDraw>? ahead;

    /// <param name="images">[B,3,H,W] in [0,1].</param>
    public SynthesisResult Apply(Tensor images, int seed)
    {
        ShapeCheck.Images(images, nameof(images));
        int b = (int)images.shape[0], h = (int)images.shape[2], w = (int)images.shape[3];
        // Off the CPU the host-side draws run ahead on spare cores (DrawAhead); the result is the same.
        ahead ??= new DrawAhead<TextureNoiseDraw>(Draw, drawAhead ?? DrawAhead<TextureNoiseDraw>.DefaultDepth(images.device));
        var d = ahead.Take(new DrawKey(b, h, w, seed));
        using var scope = NewDisposeScope();
        var dev = images.device;
        var M = tensor(d.Masks, new long[] { b, 1, h, w }).to(dev);
        var A = tensor(d.Textures, new long[] { b, 3, h, w }).to(dev);
        var B = tensor(d.Betas.Select(x => (float)x).ToArray(), new long[] { b, 1, 1, 1 }).to(dev);
        var x = images.to(ScalarType.Float32);
        var blended = B * A + (1 - B) * x;
        // where() rather than M⊙… + (1−M)⊙I so that pixels outside M are bit-identical to the input.
        var outImg = where(M.expand_as(x) > 0.5f, blended, x);
        return new SynthesisResult(outImg.MoveToOuterDisposeScope(), M.MoveToOuterDisposeScope()) { Betas = d.Betas };
    }

    /// <summary>The host-side part of a batch: masks, textures and β, from the seed alone (thread-safe).</summary>
    public TextureNoiseDraw Draw(DrawKey key)
    {
        int b = key.Batch, h = key.Height, w = key.Width;
        var rng = new Random(key.Seed);
        var mask = new float[b * h * w];
        var tex = new float[b * 3 * h * w];
        var betas = new double[b];
        for (int i = 0; i < b; i++)
        {
            var m = PerlinMask.Generate(h, w, rng, opts.Mask);
            for (int p = 0; p < h * w; p++) mask[i * h * w + p] = m[p];
            betas[i] = opts.BetaMin + (opts.BetaMax - opts.BetaMin) * rng.NextDouble();
            var a = source.Sample(rng, h, w);
            for (int p = 0; p < h * w; p++)
                for (int c = 0; c < 3; c++) tex[(i * 3 + c) * h * w + p] = a.Pixels[p * 3 + c] / 255f;
        }
        return new TextureNoiseDraw(mask, tex, betas);
    }
}

/// <summary>One batch's draw: masks [B,1,H,W] 0/1, textures [B,3,H,W] in [0,1] (row-major) and β per image.</summary>
public sealed record TextureNoiseDraw(float[] Masks, float[] Textures, double[] Betas);
