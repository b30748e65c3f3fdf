namespace Workbench.Data;

/// <summary>
/// The two training protocols. One-class: one model per category, trained on that category's
/// train/good and tested on its test set. Multi-class (unified, UniAD-style): one model trained
/// on the pooled train/good of all chosen categories, with no category labels at train or test
/// time; metrics are computed per category and averaged.
/// </summary>
public static class Protocols
{
    public const string OneClass = "one-class";
    public const string MultiClass = "multi-class";

    public static string Validate(string protocol) => protocol switch
    {
        OneClass or MultiClass => protocol,
        "oneclass" or "one_class" => OneClass,
        "multiclass" or "multi_class" or "unified" => MultiClass,
        _ => throw new ArgumentException($"protocol '{protocol}': expected '{OneClass}' or '{MultiClass}'"),
    };

    /// <summary>Builds a split from per-category (train, test) lists under the given protocol.</summary>
    public static DatasetSplit Compose(string dataset, string protocol, IReadOnlyList<CategoryData> parts)
    {
        protocol = Validate(protocol);
        if (parts.Count == 0) throw new ArgumentException($"{dataset}: no categories chosen");
        if (protocol == OneClass && parts.Count != 1)
            throw new ArgumentException($"{dataset}: the {OneClass} protocol trains one model per category; got {parts.Count} categories ({string.Join(", ", parts.Select(p => p.Category))}). Load each category separately (DataSpec.Load does) or use {MultiClass}.");
        var dup = parts.GroupBy(p => p.Category).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new ArgumentException($"{dataset}: category '{dup.Key}' chosen twice");
        return new DatasetSplit(dataset, parts.Select(p => p.Category).ToList(), protocol,
            parts.SelectMany(p => p.Train).ToList(), parts.SelectMany(p => p.Test).ToList(),
            parts.All(p => p.HasPixelLabels))
        { Warnings = parts.SelectMany(p => p.Warnings).ToList() };
    }
}

/// <summary>One category's samples as a loader found them, before a protocol combines them.</summary>
public sealed record CategoryData(string Category, IReadOnlyList<AnomalySample> Train, IReadOnlyList<AnomalySample> Test,
                                  bool HasPixelLabels, IReadOnlyList<string> Warnings);
