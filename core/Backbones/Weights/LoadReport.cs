namespace Workbench.Backbones.Weights;

/// <summary>What a state-dict load did. <paramref name="Loaded"/>: module keys copied from the file;
/// <paramref name="Skipped"/>: file keys not used (outside the prefixes, or unexpected in non-strict mode);
/// <paramref name="Missing"/>: module keys left as they were (outside the prefixes, or absent in non-strict mode).</summary>
public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Skipped, IReadOnlyList<string> Missing)
{
    public static readonly LoadReport None = new(Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());

    public string Summary => $"loaded {Loaded.Count}, skipped {Skipped.Count}, left unloaded {Missing.Count}";
}
