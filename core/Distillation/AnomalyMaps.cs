using static TorchSharp.torch;

namespace Workbench.Distillation;

/// <summary>How per-level maps are combined after upsampling.</summary>
public enum LevelCombine { Sum, Product, Mean }

/// <summary>
/// The RD4AD post-processing every method shares: per-level maps upsampled (bilinear) to the
/// input size, combined, Gaussian-smoothed (σ = 4 by default), image score = max of the map
/// (official RD4AD cal_anomaly_map + gaussian_filter; align_corners=True as in its code).
/// </summary>
public static class AnomalyMaps
{
    public static Tensor Upsample(Tensor map, long height, long width, bool alignCorners = true) =>
        nn.functional.interpolate(map, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: alignCorners);

    /// <summary>Per-level [B,1,h,w] maps → one [B,1,H,W] map (not yet smoothed).</summary>
    public static Tensor Combine(IReadOnlyList<Tensor> levels, long height, long width, LevelCombine how, bool alignCorners = true)
    {
        using var scope = NewDisposeScope();
        Tensor? acc = null;
        foreach (var level in levels)
        {
            var up = Upsample(level, height, width, alignCorners);
            acc = acc is null ? up : how == LevelCombine.Product ? acc * up : acc + up;
        }
        if (acc is null) throw new ArgumentException("no levels to combine");
        if (how == LevelCombine.Mean) acc = acc / levels.Count;
        return acc.MoveToOuterDisposeScope();
    }

    /// <summary>Smooths and scores: returns (maps [B,1,H,W], scores [B] = max of each map).</summary>
    public static (Tensor Maps, Tensor Scores) Finish(Tensor combined, double sigma)
    {
        using var scope = NewDisposeScope();
        var maps = GaussianBlur.Apply(combined, sigma);
        var scores = maps.flatten(1).max(1).values;
        return (maps.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }
}
