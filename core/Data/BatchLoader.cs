using TorchSharp;
using Workbench.Engine;
using Workbench.Imaging;
using static TorchSharp.torch;

namespace Workbench.Data;

/// <summary>
/// Turns samples into device batches at a square image size. Decoding and resizing go through
/// <see cref="ImageStore"/> (parallel, memory + disk cache), so nothing is decoded twice at the
/// same size; "memory:" paths come from <see cref="InMemoryImages"/>. Shuffling is seeded per
/// epoch, so a run is reproducible from its seed.
/// </summary>
public sealed class BatchLoader
{
    readonly IReadOnlyList<AnomalySample> samples;
    readonly int size;
    readonly ImageStore store;
    readonly Device device;
    readonly MaskResize maskMode;
    readonly Imaging.RasterImage?[] images, masks;

    public BatchLoader(IReadOnlyList<AnomalySample> samples, int imageSize, ImageStore store, Device device, MaskResize maskMode = MaskResize.BilinearThreshold)
    {
        if (imageSize <= 0) throw new ArgumentException($"image size {imageSize} must be positive");
        this.samples = samples; size = imageSize; this.store = store; this.device = device; this.maskMode = maskMode;
        images = new Imaging.RasterImage?[samples.Count];
        masks = new Imaging.RasterImage?[samples.Count];
    }

    public int Count => samples.Count;
    public int ImageSize => size;
    public IReadOnlyList<AnomalySample> Samples => samples;

    /// <summary>Decodes every image and mask once (in parallel, through the store's caches).</summary>
    public void Preload(IProgressSink? progress = null)
    {
        var todo = Enumerable.Range(0, samples.Count).Where(i => images[i] == null).ToList();
        if (todo.Count == 0) return;
        using var task = (progress ?? LineProgressSink.Silent).Start("decode", todo.Count, "img");
        var opts = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(todo, opts, i => { Ensure(i); task.Advance(1); });
    }

    void Ensure(int i)
    {
        if (images[i] != null) return;
        var s = samples[i];
        images[i] = InMemoryImages.IsMemoryPath(s.ImagePath)
            ? Resize.Bilinear(InMemoryImages.Get(s.ImagePath), size, size)
            : store.Load(new ImageRequest(s.ImagePath, size, size, IsMask: false));
        if (s.MaskPath != null) masks[i] = store.Load(new ImageRequest(s.MaskPath, size, size, IsMask: true, maskMode));
    }

    /// <summary>The resized 8-bit image of sample <paramref name="i"/> (decoded on first use).</summary>
    public Imaging.RasterImage Image(int i) { Ensure(i); return images[i]!; }

    /// <summary>The resized 0/1 mask of sample <paramref name="i"/>, or null when it has none.</summary>
    public Imaging.RasterImage? Mask(int i) { Ensure(i); return masks[i]; }

    /// <summary>Batches over all samples; order shuffled with <paramref name="seed"/> when asked.</summary>
    public IEnumerable<Batch> Batches(int batchSize, bool shuffle, int seed, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentException($"batch size {batchSize} must be positive");
        var order = Enumerable.Range(0, samples.Count).ToArray();
        if (shuffle) new Random(seed).Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, order.Length - start);
            if (n < batchSize && dropLast) yield break;
            yield return Take(order.AsSpan(start, n).ToArray());
        }
    }

    /// <summary>One batch of the given sample indices, in that order.</summary>
    public Batch Take(IReadOnlyList<int> indices)
    {
        int n = indices.Count, hw = size * size;
        var raw = new float[n * 3 * hw];
        var mask = new float[n * hw];
        var label = new long[n];
        Parallel.For(0, n, b =>
        {
            int i = indices[b];
            var img = Image(i);
            var px = img.Pixels;
            int o = b * 3 * hw;
            for (int p = 0; p < hw; p++)
            {
                raw[o + p] = px[p * 3] / 255f;
                raw[o + hw + p] = px[p * 3 + 1] / 255f;
                raw[o + 2 * hw + p] = px[p * 3 + 2] / 255f;
            }
            if (masks[i] is { } m)
                for (int p = 0; p < hw; p++) mask[b * hw + p] = m.Pixels[p] != 0 ? 1f : 0f;
            label[b] = samples[i].IsAnomalous ? 1 : 0;
        });
        using var scope = NewDisposeScope();
        var rawT = tensor(raw, new long[] { n, 3, size, size }).to(device);
        var imagesT = ImageTensors.NormalizeImageNet(rawT);
        var masksT = tensor(mask, new long[] { n, 1, size, size }).to(device);
        var labelsT = tensor(label, new long[] { n }).to(device);
        var batch = new Batch(imagesT.MoveToOuterDisposeScope(), rawT.MoveToOuterDisposeScope(),
                              masksT.MoveToOuterDisposeScope(), labelsT.MoveToOuterDisposeScope(),
                              indices.Select(i => samples[i]).ToList());
        return batch;
    }
}
