using Workbench.Data;
using Workbench.Data.Synthetic;

namespace Workbench.Engine;

/// <summary>
/// Turns a <see cref="DataConfig"/> into the one split a run trains on: maps the CLI's format names
/// onto <see cref="DataSpec"/> (the one dataset dispatch) and generates the built-in benchmark when
/// its folder is missing.
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
        if (data.Format == "synthetic" && (!Directory.Exists(data.Root) || Directory.GetDirectories(data.Root).Length == 0))
            SyntheticBenchmark.Generate(data.Root, new SyntheticOptions(Size: data.ImageSize, Seed: seed), progress);
        var splits = new DataSpec(dataset, data.Root, data.Categories ?? Array.Empty<string>(), data.Protocol, data.ImageSize, seed).Load();
        if (splits.Count != 1)
            throw new ArgumentException($"{data.Root}: the {data.Protocol} protocol gives {splits.Count} splits ({string.Join(", ", splits.SelectMany(s => s.Categories))}); a run trains one model: name one category with --categories, or use --protocol multi-class");
        return splits[0];
    }
}
