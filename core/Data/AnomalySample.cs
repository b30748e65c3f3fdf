namespace Workbench.Data;

/// <summary>
/// One image of a dataset. <see cref="Defect"/> is "good" for normal images. <see cref="MaskPath"/>
/// is null for normal images and when the dataset has no pixel ground truth. In-memory datasets
/// (CIFAR-10) use a virtual path "memory:&lt;set&gt;:&lt;index&gt;" served by <see cref="InMemoryImages"/>.
/// </summary>
public sealed record AnomalySample(string ImagePath, string Category, string Defect, bool IsAnomalous, string? MaskPath)
{
    public const string Good = "good";
}
