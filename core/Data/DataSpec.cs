using Workbench.Data.Synthetic;

namespace Workbench.Data;

/// <summary>
/// Everything a run says about its data, explicitly: dataset, root, categories, protocol,
/// image size and seed. Datasets: "mvtec_ad", "mpdd", "synthetic" (MVTec layout), "visa",
/// "cifar10" (categories = normal classes). An empty category list means all categories found.
/// </summary>
public sealed record DataSpec(string Dataset, string Root, IReadOnlyList<string> Categories, string Protocol, int ImageSize, int Seed)
{
    /// <summary>The splits to run: one per category under one-class, a single pooled one under multi-class.</summary>
    public IReadOnlyList<DatasetSplit> Load()
    {
        var protocol = Protocols.Validate(Protocol);
        var cats = Categories.Count > 0 ? Categories : AllCategories();
        Func<IReadOnlyList<string>, DatasetSplit> load = Dataset switch
        {
            "mvtec_ad" or "mpdd" or SyntheticBenchmark.DatasetName => c => MvtecLayout.Load(Root, c, protocol, Dataset),
            "visa" => c => VisaLayout.Load(Root, c, protocol, Dataset),
            "cifar10" => c => protocol == Protocols.OneClass && c.Count == 1
                ? Cifar10OneClass.Load(Root, c[0])
                : throw new ArgumentException("cifar10 supports the one-class protocol only, one normal class per split"),
            _ => throw new ArgumentException($"dataset '{Dataset}': expected mvtec_ad, mpdd, visa, cifar10 or {SyntheticBenchmark.DatasetName}"),
        };
        return protocol == Protocols.OneClass
            ? cats.Select(c => load(new[] { c })).ToList()
            : new[] { load(cats) };
    }

    /// <summary>A loader for some of this spec's samples at its image size.</summary>
    public BatchLoader Loader(IReadOnlyList<AnomalySample> samples, Imaging.ImageStore store, TorchSharp.torch.Device device) =>
        new(samples, ImageSize, store, device);

    public IReadOnlyList<string> AllCategories() => Dataset switch
    {
        "visa" => VisaLayout.Categories(Root),
        "cifar10" => Cifar10OneClass.ClassNames,
        _ => MvtecLayout.Categories(Root),
    };
}
