using Workbench.Data;
using Workbench.Data.Synthetic;

namespace Workbench.Engine;

/// <summary>
/// Turns a <see cref="DataConfig"/> into the one split a run trains on: maps the CLI's format names
/// onto <see cref="DataSpec"/> (the one dataset dispatch) and generates the built-in benchmark when
/// its folder is missing or from an older generator.
/// </summary>
public static class DataSetup
{
    public static readonly IReadOnlyList<string> Formats = new[] { "synthetic", "mvtec", "mpdd", "visa", "cifar10" };

    public static DatasetSplit Load(DataConfig data, int seed, IProgressSink? progress = null)
    {
        var dataset = data.Format switch
        {
            "synthetic" => SyntheticBenchmark.DatasetName,
            "mvtec" => "mvtec_ad",
            "mpdd" or "visa" or "cifar10" => data.Format,
            _ => throw new ArgumentException($"--data-format {data.Format}: expected one of {string.Join(", ", Formats)}"),
        };
        // The benchmark's own seed is fixed (0): the run's seed varies training, never the dataset.
        var regenerated = data.Format == "synthetic" ? SyntheticBenchmark.EnsureAt(data.Root, new SyntheticOptions(Size: data.ImageSize), progress) : null;
        var splits = new DataSpec(dataset, data.Root, data.Categories ?? Array.Empty<string>(), data.Protocol, data.ImageSize, seed).Load();
        if (splits.Count != 1)
            throw new ArgumentException($"{data.Root}: the {data.Protocol} protocol gives {splits.Count} splits ({string.Join(", ", splits.SelectMany(s => s.Categories))}); a run trains one model: name one category with --categories, or use --protocol multi-class");
        return regenerated is null ? splits[0] : splits[0] with { Warnings = splits[0].Warnings.Append(regenerated).ToList() };
    }
}
