using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Metrics;

/// <summary>
/// The PRO curve of the MVTec AD evaluation code (Bergmann et al., IJCV 2021; mvtec_ad_evaluation
/// generic_util.compute_pro + trapezoid) read from one pass over a <see cref="ScoreRanking"/>.
/// PRO(t) = (1/K) Σ_k |{p ∈ C_k : s_p ≥ t}| / |C_k| = Σ over ranked pixels of w_p = 1/(K·|C(p)|),
/// so a cumulative sum of w gives PRO at every distinct threshold; FPR(t) = cumulative normal
/// count / all normal pixels. Trapezoids from (0,0) up to <c>limit</c>, the crossing segment
/// interpolated linearly at <c>limit</c>; the scan stops there.
/// </summary>
public sealed class ProCurveAccumulator(Tensor componentIds, Tensor componentWeights, double normalPixels, double limit)
{
    double carriedPro, carriedFp; // sums over earlier chunks
    double lastX, lastY;          // previous curve point, (0,0) first
    double area;

    /// <summary>True once the curve has passed the FPR limit (later chunks are ignored).</summary>
    public bool Done { get; private set; }

    /// <summary>Area under the PRO curve up to the limit, divided by the limit (1 is perfect).</summary>
    public double NormalisedArea => area / limit;

    /// <param name="componentIds">int32 [P]: component id per flat pixel, 0 for normal pixels.</param>
    /// <param name="componentWeights">float64 [K+1]: 1/(K·|C_k|), 0 at index 0.</param>
    public static ProCurveAccumulator For(ComponentLabels components, Device device, double limit, out Tensor componentIds, out Tensor componentWeights)
    {
        int k = components.Count;
        var weights = new double[k + 1];
        for (int i = 1; i <= k; i++) weights[i] = 1.0 / ((double)k * components.Sizes[i]);
        long normal = components.Labels.LongLength;
        for (int i = 1; i <= k; i++) normal -= components.Sizes[i];
        componentIds = tensor(components.Labels, device: device);
        componentWeights = tensor(weights, device: device);
        return new ProCurveAccumulator(componentIds, componentWeights, normal, limit);
    }

    public void Add(RankedChunk chunk)
    {
        if (Done) return;
        using var scope = NewDisposeScope();
        var dev = chunk.Positives.device;
        var w = componentWeights.index_select(0, componentIds.index_select(0, chunk.Order));
        var proAll = w.cumsum(0).add_(carriedPro);
        var fpAll = chunk.Positives.neg().add_(1).cumsum(0).add_(carriedFp);
        carriedPro = proAll[-1].item<double>();
        carriedFp = fpAll[-1].item<double>();
        var y = proAll.masked_select(chunk.EndsTie);
        long m = y.shape[0];
        if (m == 0) return;
        var x = fpAll.masked_select(chunk.EndsTie).div_(normalPixels);
        var x0 = cat(new[] { tensor(new[] { lastX }, device: dev), x.narrow(0, 0, m - 1) });
        var y0 = cat(new[] { tensor(new[] { lastY }, device: dev), y.narrow(0, 0, m - 1) });

        // x is non-decreasing, so the segments ending within the limit are a prefix.
        var within = x.le(limit);
        long full = within.sum().item<long>();
        area += ((y + y0) * (x - x0)).masked_select(within).sum().item<double>() / 2;
        if (full < m)
        {
            double ax = x0[full].item<double>(), ay = y0[full].item<double>();
            double bx = x[full].item<double>(), by = y[full].item<double>();
            double yAtLimit = ay + (by - ay) * (limit - ax) / (bx - ax);
            area += 0.5 * (ay + yAtLimit) * (limit - ax);
            Done = true;
            return;
        }
        lastX = x[-1].item<double>();
        lastY = y[-1].item<double>();
    }
}
