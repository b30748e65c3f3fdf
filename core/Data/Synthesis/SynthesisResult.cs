using static TorchSharp.torch;

namespace Workbench.Data.Synthesis;

/// <summary>Synthesized anomalies: images [B,3,H,W] in [0,1] and masks [B,1,H,W] float 0/1, on the input's device.</summary>
public sealed class SynthesisResult(Tensor images, Tensor masks) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Masks { get; } = masks;
    /// <summary>Per-sample blend weights where the method has one (texture noise's β), else empty.</summary>
    public IReadOnlyList<double> Betas { get; init; } = Array.Empty<double>();
    public void Dispose() { Images.Dispose(); Masks.Dispose(); }
}

/// <summary>The same normal images with and without a synthesized anomaly, plus its mask (DMDD).</summary>
public sealed class NormalAnomalyPair(Tensor normal, Tensor anomalous, Tensor masks) : IDisposable
{
    public Tensor Normal { get; } = normal;
    public Tensor Anomalous { get; } = anomalous;
    public Tensor Masks { get; } = masks;
    public void Dispose() { Normal.Dispose(); Anomalous.Dispose(); Masks.Dispose(); }
}
