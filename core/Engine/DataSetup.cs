using Workbench.Data;
using Workbench.Data.Synthetic;

namespace Workbench.Engine;

/// <summary>Turns a <see cref="DataConfig"/> into a dataset split, generating the built-in benchmark when asked.</summary>
public static class DataSetup
{
    public static readonly IReadOnlyList<string> Formats = new[] { "synthetic", "mvtec", "mpdd", "visa" };

    public static DatasetSplit Load(DataConfig data, int seed, IProgressSink? progress = null)
    {
        var cats = data.Categories ?? Array.Empty<string>();
        switch (data.Format)
        {
            case "synthetic":
                if (!Directory.Exists(data.Root) || Directory.GetDirectories(data.Root).Length == 0)
                    SyntheticBenchmark.Generate(data.Root, new SyntheticOptions(Size: data.ImageSize, Seed: seed), progress);
                return MvtecLayout.Load(data.Root, cats.Count > 0 ? cats : MvtecLayout.Categories(data.Root), data.Protocol, "synthetic");
            case "mvtec":
            case "mpdd":
                return MvtecLayout.Load(data.Root, cats.Count > 0 ? cats : MvtecLayout.Categories(data.Root), data.Protocol,
                                        data.Format == "mvtec" ? "mvtec_ad" : "mpdd");
            case "visa":
                return VisaLayout.Load(data.Root, cats, data.Protocol);
            default:
                throw new ArgumentException($"--data-format {data.Format}: expected one of {string.Join(", ", Formats)}");
        }
    }
}
