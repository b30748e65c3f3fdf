using static TorchSharp.torch;

namespace Workbench.Methods.Snl;

/// <summary>
/// Seeded k-means (k-means++ seeding, then Lloyd iterations) on feature vectors [N,C], to start CRAM's centres
/// where the normal features are. Squared distances are computed as ‖x‖² − 2x·c + ‖c‖² (one matmul).
/// </summary>
public static class KMeans
{
    /// <param name="generator">a CPU generator: the draws happen on the CPU whatever the samples' device</param>
    /// <returns>centres [K,C] on the samples' device</returns>
    public static Tensor Fit(Tensor samples, int k, int iterations, Generator generator)
    {
        long n = samples.shape[0];
        if (n < k) throw new ArgumentException($"k-means: {n} samples for {k} centres; give at least as many samples as centres");
        using var scope = NewDisposeScope();
        var x = samples.to(ScalarType.Float32);
        var xx = x.square().sum(1);
        // k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one.
        var chosen = new List<long> { randint(n, new long[] { 1 }, generator: generator).item<long>() };
        var nearest = (xx - 2 * x.mv(x[chosen[0]]) + x[chosen[0]].square().sum()).clamp_min(0);
        while (chosen.Count < k)
        {
            var p = nearest.to(CPU);
            var total = p.sum().item<float>();
            long next = total > 0
                ? multinomial(p / total, 1, generator: generator).item<long>()
                : randint(n, new long[] { 1 }, generator: generator).item<long>();
            chosen.Add(next);
            var d = (xx - 2 * x.mv(x[next]) + x[next].square().sum()).clamp_min(0);
            nearest = minimum(nearest, d);
        }
        var centres = x.index_select(0, tensor(chosen.ToArray(), device: x.device)).clone();
        for (int it = 0; it < iterations; it++)
        {
            var assign = SquaredDistances(x, centres).argmin(1);
            var onehot = nn.functional.one_hot(assign, k).to(ScalarType.Float32);        // [N,K]
            var counts = onehot.sum(dim: 0);                                                // [K]
            var sums = onehot.t().mm(x);                                                // [K,C]
            var filled = counts.gt(0).unsqueeze(1);
            centres = where(filled, sums / counts.clamp_min(1).unsqueeze(1), centres);  // an empty cluster keeps its centre
        }
        return centres.MoveToOuterDisposeScope();
    }

    /// <summary>‖x_i − c_j‖² for x [N,C], c [K,C] → [N,K], clamped at 0 against rounding.</summary>
    public static Tensor SquaredDistances(Tensor x, Tensor c)
    {
        using var scope = NewDisposeScope();
        var d2 = x.square().sum(1, keepdim: true) - 2 * x.mm(c.t()) + c.square().sum(1).unsqueeze(0);
        return d2.clamp_min(0).MoveToOuterDisposeScope();
    }
}
