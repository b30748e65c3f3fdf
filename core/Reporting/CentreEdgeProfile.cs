using static TorchSharp.torch;

namespace Workbench.Reporting;

/// <summary>Mean standardised map value in a defect's interior, its edge band, and the ring just outside it.</summary>
public sealed record CentreEdgeStats(double Interior, double Edge, double OuterRing, long InteriorPixels, long EdgePixels, long RingPixels);

/// <summary>
/// Where inside a defect a map responds, to check claims like DMDD's "normality features find
/// anomaly centres, abnormality features find edges". The map is standardised by the mean and
/// standard deviation of its values on normal images (so maps on different scales compare), then
/// averaged over: the interior (mask eroded by <c>band</c> px), the edge band (mask minus interior)
/// and the outer ring (mask dilated by <c>band</c> px minus mask).
/// </summary>
public static class CentreEdgeProfile
{
    /// <param name="maps">[N,1,H,W] maps of anomalous images</param>
    /// <param name="masks">[N,1,H,W] 0/1 ground truth</param>
    /// <param name="normalMaps">maps of normal images, for the standardisation</param>
    public static CentreEdgeStats Compute(Tensor maps, Tensor masks, Tensor normalMaps, int band = 3)
    {
        using var scope = NewDisposeScope();
        var mu = normalMaps.mean().item<float>();
        var sd = Math.Max(normalMaps.std().item<float>(), 1e-12f);
        var z = (maps - mu) / sd;
        var m = (masks > 0.5f).to(ScalarType.Float32);
        long k = 2 * band + 1;
        var interior = 1 - nn.functional.max_pool2d(1 - m, k, 1, band);
        var dilated = nn.functional.max_pool2d(m, k, 1, band);
        var edge = m - interior;
        var ring = dilated - m;
        (double mean, long n) Avg(Tensor region)
        {
            var n = (long)region.sum().item<float>();
            return (n == 0 ? double.NaN : (z * region).sum().item<float>() / n, n);
        }
        var (i, ni) = Avg(interior);
        var (e, ne) = Avg(edge);
        var (r, nr) = Avg(ring);
        return new CentreEdgeStats(i, e, r, ni, ne, nr);
    }
}
