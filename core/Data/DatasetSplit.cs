namespace Workbench.Data;

/// <summary>
/// What one run trains and tests on. <see cref="Category"/> labels on samples exist only so the
/// evaluation can report per category; under the multi-class protocol methods must not read them.
/// </summary>
public sealed record DatasetSplit(string Dataset, IReadOnlyList<string> Categories, string Protocol,
                                  IReadOnlyList<AnomalySample> Train, IReadOnlyList<AnomalySample> Test, bool HasPixelLabels)
{
    /// <summary>Things that degrade the run without stopping it (e.g. no ground_truth folder → image-level metrics only).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Test samples of one category (for per-category evaluation).</summary>
    public IReadOnlyList<AnomalySample> TestOf(string category) => Test.Where(s => s.Category == category).ToList();

    public override string ToString() =>
        $"{Dataset} [{string.Join(",", Categories)}] {Protocol}: {Train.Count} train, {Test.Count} test ({Test.Count(s => s.IsAnomalous)} anomalous), pixel labels {(HasPixelLabels ? "yes" : "no")}";
}
