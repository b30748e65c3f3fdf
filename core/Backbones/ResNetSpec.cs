namespace Workbench.Backbones;

/// <summary>
/// One member of torchvision's ResNet family (He et al. 2016, "Deep Residual Learning";
/// Zagoruyko &amp; Komodakis 2016, "Wide Residual Networks"), as torchvision.models.resnet builds it.
/// </summary>
/// <param name="Bottleneck">true: Bottleneck blocks (expansion 4); false: BasicBlock (expansion 1)</param>
/// <param name="Layers">blocks in layer1..layer4</param>
/// <param name="WidthPerGroup">Bottleneck inner width per 64 planes (64 standard, 128 for wide_resnet50_2)</param>
public sealed record ResNetSpec(string Name, bool Bottleneck, int[] Layers, long WidthPerGroup)
{
    public static readonly string[] Names = { "resnet18", "resnet34", "resnet50", "wide_resnet50_2" };

    public static ResNetSpec Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        "resnet18" => new("resnet18", false, new[] { 2, 2, 2, 2 }, 64),
        "resnet34" => new("resnet34", false, new[] { 3, 4, 6, 3 }, 64),
        "resnet50" => new("resnet50", true, new[] { 3, 4, 6, 3 }, 64),
        "wide_resnet50_2" => new("wide_resnet50_2", true, new[] { 3, 4, 6, 3 }, 128),
        _ => throw new ArgumentException($"unknown backbone '{name}'; expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>Channel expansion of the block type (1 for BasicBlock, 4 for Bottleneck).</summary>
    public int Expansion => Bottleneck ? Backbones.Bottleneck.Expansion : BasicBlock.Expansion;

    /// <summary>Output channels of layer1..layer4.</summary>
    public long[] StageChannels => new long[] { 64 * Expansion, 128 * Expansion, 256 * Expansion, 512 * Expansion };

    /// <summary>Downsampling factor of layer1..layer4 relative to the input image.</summary>
    public static readonly int[] StageStrides = { 4, 8, 16, 32 };
}
