using System.Buffers;
using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>Connected components of a stack of binary masks. Ids are global over the stack:
/// 0 is background, 1..<see cref="Count"/> are components (numbered image by image, in raster
/// order of their first pixel).</summary>
public sealed class ComponentLabels(int[] labels, long[] sizes, int[] imageOf, int[] countPerImage)
{
    /// <summary>Per pixel of the [N,H,W] stack (row-major): its component id, 0 for background.</summary>
    public int[] Labels { get; } = labels;
    /// <summary>Pixel count of each component; index 0 (background) is 0.</summary>
    public long[] Sizes { get; } = sizes;
    /// <summary>Image index of each component; index 0 is −1.</summary>
    public int[] ImageOf { get; } = imageOf;
    public int[] CountPerImage { get; } = countPerImage;
    public int Count => Sizes.Length - 1;
}

/// <summary>
/// Labels ground-truth regions with 8-connectivity (pixels touching by an edge or a corner belong
/// to one region), as the MVTec AD evaluation code (scipy.ndimage.label with a 3×3 structure) and
/// RD4AD (skimage.measure.label, default full connectivity) do. Two-pass union-find on the CPU:
/// masks are binary and this runs once per evaluation; the per-threshold work stays on the device.
/// </summary>
public static class ConnectedComponents
{
    /// <summary><paramref name="masks"/>: [N,H,W] or [N,1,H,W], 0/1 or bool, any device.</summary>
    public static ComponentLabels Label(Tensor masks)
    {
        byte[] bytes; int n, h, w;
        using (var scope = NewDisposeScope())
        {
            var m = MetricInputs.AsMaps(masks, "masks");
            n = (int)m.shape[0]; h = (int)m.shape[1]; w = (int)m.shape[2];
            bytes = MetricInputs.BinaryBytes(m, "masks");
        }
        return Label(bytes, n, h, w);
    }

    /// <summary>Labels a row-major [n,h,w] stack of 0/nonzero bytes.</summary>
    public static ComponentLabels Label(byte[] masks, int n, int h, int w)
    {
        long hw = (long)h * w;
        if (masks.LongLength != n * hw) throw new ArgumentException($"masks: {masks.LongLength} bytes for [{n},{h},{w}]");
        var labels = new int[masks.LongLength];
        var counts = new int[n];
        Parallel.For(0, n, i => counts[i] = LabelImage(masks.AsSpan((int)(i * hw), (int)hw), labels.AsSpan((int)(i * hw), (int)hw), h, w));

        var offsets = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) { offsets[i] = total; total += counts[i]; }
        var sizes = new long[total + 1];
        var imageOf = new int[total + 1];
        imageOf[0] = -1;
        for (int i = 0; i < n; i++)
        {
            if (counts[i] == 0) continue;
            var span = labels.AsSpan((int)(i * hw), (int)hw);
            int off = offsets[i];
            for (int p = 0; p < span.Length; p++)
                if (span[p] != 0) { span[p] += off; sizes[span[p]]++; }
            for (int k = 1; k <= counts[i]; k++) imageOf[off + k] = i;
        }
        return new ComponentLabels(labels, sizes, imageOf, counts);
    }

    /// <summary>Writes local ids 1..k into <paramref name="labels"/>; returns k.</summary>
    static int LabelImage(ReadOnlySpan<byte> mask, Span<int> labels, int h, int w)
    {
        if (mask.IndexOfAnyExcept((byte)0) < 0) { labels.Clear(); return 0; }
        var parent = ArrayPool<int>.Shared.Rent(mask.Length + 2);
        try
        {
            int next = 1;
            // Pass 1: provisional ids from the already-visited neighbours W, NW, N, NE; merge the rest.
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int p = y * w + x;
                    if (mask[p] == 0) { labels[p] = 0; continue; }
                    int id = 0;
                    if (x > 0) id = Join(parent, id, labels[p - 1]);
                    if (y > 0)
                    {
                        int up = p - w;
                        if (x > 0) id = Join(parent, id, labels[up - 1]);
                        id = Join(parent, id, labels[up]);
                        if (x < w - 1) id = Join(parent, id, labels[up + 1]);
                    }
                    if (id == 0) { id = next++; parent[id] = id; }
                    labels[p] = id;
                }
            // Pass 2: roots → consecutive ids in order of first appearance.
            var final = ArrayPool<int>.Shared.Rent(next);
            try
            {
                Array.Clear(final, 0, next);
                int count = 0;
                for (int p = 0; p < labels.Length; p++)
                {
                    if (labels[p] == 0) continue;
                    int root = Find(parent, labels[p]);
                    if (final[root] == 0) final[root] = ++count;
                    labels[p] = final[root];
                }
                return count;
            }
            finally { ArrayPool<int>.Shared.Return(final); }
        }
        finally { ArrayPool<int>.Shared.Return(parent); }
    }

    // Union of the current id with a neighbour's (0 = none); returns the smaller root.
    static int Join(int[] parent, int id, int neighbour)
    {
        if (neighbour == 0) return id;
        int b = Find(parent, neighbour);
        if (id == 0) return b;
        int a = Find(parent, id);
        if (a == b) return a;
        if (a < b) { parent[b] = a; return a; }
        parent[a] = b; return b;
    }

    static int Find(int[] parent, int x)
    {
        int root = x;
        while (parent[root] != root) root = parent[root];
        while (parent[x] != root) { int nx = parent[x]; parent[x] = root; x = nx; }
        return root;
    }
}
