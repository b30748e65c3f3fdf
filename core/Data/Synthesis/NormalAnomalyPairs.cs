using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>
/// Normal–anomaly pairs for DMDD: each normal image together with the same image carrying a
/// synthesized anomaly (texture noise by default) and that anomaly's mask. Images in [0,1].
/// </summary>
public sealed class NormalAnomalyPairs(TextureNoise? noise = null)
{
    readonly TextureNoise synth = noise ?? new TextureNoise();

    public NormalAnomalyPair Make(Tensor normals, int seed)
    {
        var r = synth.Apply(normals, seed);
        using var scope = NewDisposeScope();
        var normal = normals.to(ScalarType.Float32).clone();
        return new NormalAnomalyPair(normal.MoveToOuterDisposeScope(), r.Images, r.Masks);
    }
}
