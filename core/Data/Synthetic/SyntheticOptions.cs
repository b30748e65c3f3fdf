namespace Workbench.Data.Synthetic;

/// <summary>
/// Size and counts of the built-in benchmark. Defaults (128 px; 40 train, 10 good test and 10 per
/// defect type per category) generate in a few seconds and keep a CPU training run to minutes.
/// Null <see cref="Categories"/> means all six.
/// </summary>
public sealed record SyntheticOptions(int Size = 128, int TrainPerCategory = 40, int TestGoodPerCategory = 10, int TestPerDefect = 10,
                                      int Seed = 0, IReadOnlyList<string>? Categories = null)
{
    public IReadOnlyList<string> ChosenCategories => Categories is { Count: > 0 } c ? c : SyntheticBenchmark.AllCategories;

    public void Validate()
    {
        if (Size < 32) throw new ArgumentException($"synthetic size {Size} must be at least 32");
        if (TrainPerCategory < 1) throw new ArgumentException("synthetic train count must be at least 1");
        if (TestGoodPerCategory < 0 || TestPerDefect < 0) throw new ArgumentException("synthetic test counts must be non-negative");
        foreach (var c in ChosenCategories)
            if (!SyntheticBenchmark.AllCategories.Contains(c))
                throw new ArgumentException($"synthetic category '{c}': expected one of {string.Join(", ", SyntheticBenchmark.AllCategories)}");
    }

    /// <summary>A short stable identity of these options (names the default cache folder).</summary>
    public string Key => $"s{Size}-t{TrainPerCategory}-g{TestGoodPerCategory}-d{TestPerDefect}-seed{Seed}-{string.Join("+", ChosenCategories)}-v{SyntheticBenchmark.Version}";
}
