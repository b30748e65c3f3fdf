using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// The PRO score as the official RD4AD code computes it (hq-deng/RD4AD, test.py: <c>compute_pro</c>
/// and its call in <c>evaluation</c>), for like-for-like comparison with numbers from that paper.
/// <c>compute_pro(masks, amaps)</c>: 200 thresholds <c>np.arange(min, max, (max−min)/200)</c> over
/// the maps given; binarise with <c>amap &gt; th</c>; PRO = mean over the regions
/// (skimage.measure.label, 8-connected) of the region's fraction above th; FPR = false positives /
/// normal pixels; keep points with FPR &lt; 0.3; rescale FPR by its maximum; sklearn.metrics.auc.
/// RD4AD's evaluation calls it once per anomalous test image (batch size 1) and averages over
/// those images. Differences from <see cref="Aupro"/>: per-image curves and thresholds instead of
/// one curve over the test set, 200 grid thresholds instead of all distinct scores, strict &gt;,
/// no interpolation at 0.3 and FPR stretched to [0,1] by its largest kept value — so it is not
/// the MVTec AD metric and is usually higher.
/// Vectorised: per image one sort, cumulative sums and a searchsorted for all thresholds.
/// A curve with fewer than two kept points or a zero maximum FPR gives NaN (RD4AD would raise or
/// return NaN), which propagates into the mean.
/// </summary>
public static class Rd4adPro
{
    public const int DefaultThresholds = 200;
    const double FprCut = 0.3;
    const int ImagesPerBatch = 16;

    /// <summary>RD4AD's reported number: <c>compute_pro</c> on each image with a non-empty mask, averaged.</summary>
    public static double Compute(Tensor maps, Tensor masks, int numThresholds = DefaultThresholds)
    {
        var perImage = PerImage(maps, masks, numThresholds);
        if (perImage.Count == 0) throw new ArgumentException("Rd4adPro: no image has an anomalous region");
        return perImage.Values.Average();
    }

    /// <summary><c>compute_pro</c> per image with a non-empty mask: image index → score.</summary>
    public static IReadOnlyDictionary<int, double> PerImage(Tensor maps, Tensor masks, int numThresholds = DefaultThresholds)
    {
        using var scope = NewDisposeScope();
        var (m, components) = Prepare(maps, masks);
        int n = (int)m.shape[0];
        long p = m.shape[1] * m.shape[2];
        var weights = RegionWeights(components, perImage: true, m.device);
        var ids = tensor(components.Labels, device: m.device).reshape(n, p);
        var anomalous = Enumerable.Range(0, n).Where(i => components.CountPerImage[i] > 0).ToArray();
        var result = new Dictionary<int, double>();
        foreach (var batch in anomalous.Chunk(ImagesPerBatch))
        {
            using var inner = NewDisposeScope();
            var rows = tensor(batch.Select(i => (long)i).ToArray(), device: m.device);
            var scores = CurveScores(m.reshape(n, p).index_select(0, rows), ids.index_select(0, rows), weights, numThresholds);
            for (int b = 0; b < batch.Length; b++) result[batch[b]] = scores[b];
        }
        return result;
    }

    /// <summary><c>compute_pro</c> applied once to all maps together (one threshold grid and one curve).</summary>
    public static double ComputeSingleCurve(Tensor maps, Tensor masks, int numThresholds = DefaultThresholds)
    {
        using var scope = NewDisposeScope();
        var (m, components) = Prepare(maps, masks);
        if (components.Count == 0) throw new ArgumentException("Rd4adPro: no anomalous region in the masks");
        var weights = RegionWeights(components, perImage: false, m.device);
        var ids = tensor(components.Labels, device: m.device).reshape(1, -1);
        return CurveScores(m.reshape(1, -1), ids, weights, numThresholds)[0];
    }

    static (Tensor Maps, ComponentLabels Components) Prepare(Tensor maps, Tensor masks)
    {
        var m = MetricInputs.AsMaps(maps, "maps");
        var g = MetricInputs.AsMaps(masks, "masks");
        if (!m.shape.SequenceEqual(g.shape))
            throw new ArgumentException($"maps [{string.Join(",", m.shape)}] and masks [{string.Join(",", g.shape)}] differ in shape");
        MetricInputs.RequireNoNaN(m, "maps");
        return (m.to(ScalarType.Float64), ConnectedComponents.Label(g));
    }

    /// <summary>float64 [K+1]: 1/(K·|C_k|) with K the region count of C_k's image (or of the whole set).</summary>
    static Tensor RegionWeights(ComponentLabels c, bool perImage, Device device)
    {
        var w = new double[c.Count + 1];
        for (int k = 1; k <= c.Count; k++)
            w[k] = 1.0 / ((double)(perImage ? c.CountPerImage[c.ImageOf[k]] : c.Count) * c.Sizes[k]);
        return tensor(w, device: device);
    }

    /// <summary>One <c>compute_pro</c> per row of <paramref name="scores"/> [G,P'] (float64).</summary>
    static double[] CurveScores(Tensor scores, Tensor ids, Tensor weights, int numThresholds)
    {
        using var scope = NewDisposeScope();
        int g = (int)scores.shape[0];
        long p = scores.shape[1];
        var (sorted, order) = scores.sort(1);
        var w = weights.index_select(0, ids.reshape(-1)).reshape(g, p).gather(1, order);
        var normal = ids.eq(0).to(ScalarType.Float64).gather(1, order);
        var zero = zeros(g, 1, ScalarType.Float64, device: scores.device);
        var cumW = cat(new[] { zero, w.cumsum(1) }, 1);
        var cumN = cat(new[] { zero, normal.cumsum(1) }, 1);
        var lo = sorted.select(1, 0).cpu().data<double>().ToArray();
        var hi = sorted.select(1, p - 1).cpu().data<double>().ToArray();

        var grids = new double[g][];
        for (int r = 0; r < g; r++) grids[r] = NumpyArange(lo[r], hi[r], numThresholds);
        int t = grids.Max(a => a.Length);
        var flatGrid = new double[g * t];
        for (int r = 0; r < g; r++)
            for (int i = 0; i < t; i++) flatGrid[r * t + i] = i < grids[r].Length ? grids[r][i] : double.PositiveInfinity;
        var th = tensor(flatGrid, device: scores.device).reshape(g, t);

        var atOrBelow = searchsorted(sorted, th, right: true); // pixels with score ≤ th
        var pro = cumW.select(1, p).unsqueeze(1) - cumW.gather(1, atOrBelow);
        var fp = cumN.select(1, p).unsqueeze(1) - cumN.gather(1, atOrBelow);
        var fpr = fp / cumN.select(1, p).unsqueeze(1);
        var proHost = pro.cpu().data<double>().ToArray();
        var fprHost = fpr.cpu().data<double>().ToArray();

        var result = new double[g];
        for (int r = 0; r < g; r++)
            result[r] = KeptCurveArea(fprHost.AsSpan(r * t, grids[r].Length), proHost.AsSpan(r * t, grids[r].Length));
        return result;
    }

    /// <summary>np.arange(start, stop, (stop−start)/num) with numpy's arithmetic: length
    /// ceil((stop−start)/step), values start + i·((start+step)−start).</summary>
    public static double[] NumpyArange(double start, double stop, int num)
    {
        double step = (stop - start) / num;
        if (!(step > 0)) throw new ArgumentException($"Rd4adPro: a map is constant ({start}); the threshold grid is empty (RD4AD would fail too)");
        long len = (long)Math.Ceiling((stop - start) / step);
        var a = new double[len];
        double delta = (start + step) - start;
        for (long i = 0; i < len; i++) a[i] = i == 0 ? start : i == 1 ? start + step : start + i * delta;
        return a;
    }

    /// <summary>RD4AD's tail: keep FPR &lt; 0.3, FPR /= max, sklearn.metrics.auc (trapezoids, either direction).</summary>
    static double KeptCurveArea(ReadOnlySpan<double> fpr, ReadOnlySpan<double> pro)
    {
        var x = new List<double>(); var y = new List<double>();
        for (int i = 0; i < fpr.Length; i++)
            if (fpr[i] < FprCut) { x.Add(fpr[i]); y.Add(pro[i]); }
        if (x.Count < 2) return double.NaN;
        double max = x.Max();
        if (!(max > 0)) return double.NaN;
        for (int i = 0; i < x.Count; i++) x[i] /= max;
        bool anyDown = false, allDown = true;
        for (int i = 1; i < x.Count; i++) { anyDown |= x[i] < x[i - 1]; allDown &= x[i] <= x[i - 1]; }
        if (anyDown && !allDown) return double.NaN; // sklearn: "x is neither increasing nor decreasing"
        double area = 0;
        for (int i = 1; i < x.Count; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return anyDown ? -area : area;
    }
}
