using static TorchSharp.torch;

namespace Workbench.Data;

/// <summary>
/// A batch on the device. <see cref="Images"/> are ImageNet-normalised (what backbones take);
/// <see cref="Raw"/> are the same images in [0,1], which is what anomaly synthesis works on
/// (synthesise on Raw, then <c>ImageTensors.NormalizeImageNet</c>). Disposing frees all tensors.
/// </summary>
public sealed class Batch(Tensor images, Tensor raw, Tensor masks, Tensor labels, IReadOnlyList<AnomalySample> samples) : IDisposable
{
    /// <summary>[B,3,H,W] float32, ImageNet-normalised.</summary>
    public Tensor Images { get; } = images;
    /// <summary>[B,3,H,W] float32 in [0,1].</summary>
    public Tensor Raw { get; } = raw;
    /// <summary>[B,1,H,W] float32 0/1 (all zero for normal images and when there is no ground truth).</summary>
    public Tensor Masks { get; } = masks;
    /// <summary>[B] int64, 1 = anomalous.</summary>
    public Tensor Labels { get; } = labels;
    public IReadOnlyList<AnomalySample> Samples { get; } = samples;
    public int Count => Samples.Count;

    public void Dispose()
    {
        Images.Dispose(); Raw.Dispose(); Masks.Dispose(); Labels.Dispose();
    }
}
