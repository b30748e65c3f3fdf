using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Workbench.Data;
using Workbench.Data.Synthetic;
using Workbench.Imaging;

namespace Workbench.Cli.Commands;

/// <summary>`workbench data synth|show|bench`: generate the built-in benchmark, describe a
/// dataset on disk, measure loading + resizing throughput.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var cmd = new Command("data", "Datasets: generate the synthetic benchmark, show a dataset, measure loading speed.");
        cmd.Add(Synth());
        cmd.Add(Show());
        cmd.Add(Bench());
        return cmd;
    }

    static Command Synth()
    {
        var outDir = new Option<string>("--out") { Description = "output folder (MVTec AD layout)", Required = true };
        var size = new Option<int>("--size") { Description = "image side in pixels", DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed") { Description = "generator seed", DefaultValueFactory = _ => 0 };
        var train = new Option<int>("--train") { Description = "train/good images per category", DefaultValueFactory = _ => 40 };
        var good = new Option<int>("--test-good") { Description = "test/good images per category", DefaultValueFactory = _ => 10 };
        var perDefect = new Option<int>("--per-defect") { Description = "test images per defect type", DefaultValueFactory = _ => 10 };
        var cats = new Option<string[]>("--category") { Description = $"categories (default all: {string.Join(", ", SyntheticBenchmark.AllCategories)})", AllowMultipleArgumentsPerToken = true };
        var figure = new Option<string?>("--figure") { Description = "also write a PNG grid of samples with mask outlines" };
        var cmd = new Command("synth", "Generate the built-in synthetic benchmark in MVTec AD layout.") { outDir, size, seed, train, good, perDefect, cats, figure };
        cmd.SetAction(parse =>
        {
            GlobalOptions.Apply(parse);
            var o = new SyntheticOptions(parse.GetValue(size), parse.GetValue(train), parse.GetValue(good), parse.GetValue(perDefect),
                                         parse.GetValue(seed), parse.GetValue(cats) is { Length: > 0 } c ? c : null);
            var root = parse.GetValue(outDir)!;
            var clock = Stopwatch.StartNew();
            SyntheticBenchmark.Generate(root, o, ProgressSinks.ForConsole());
            Console.WriteLine($"wrote {root} ({o.Key}) in {clock.Elapsed.TotalSeconds:F1} s");
            if (parse.GetValue(figure) is { } fig)
            {
                var split = MvtecLayout.Load(root, o.ChosenCategories, Protocols.MultiClass, SyntheticBenchmark.DatasetName);
                PngWriter.Write(fig, DefectGallery.Build(split, o.Size));
                Console.WriteLine($"wrote {fig}");
            }
            return 0;
        });
        return cmd;
    }

    static readonly Option<string> Format = new("--format") { Description = "auto | mvtec | visa | cifar10 | folder (folder: ROOT/normal, ROOT/abnormal, optional ROOT/masks)", DefaultValueFactory = _ => "auto" };
    static readonly Option<string[]> Categories = new("--category") { Description = "categories (default: all found; cifar10: the normal class, default airplane)", AllowMultipleArgumentsPerToken = true };

    static Command Show()
    {
        var root = new Argument<string>("root") { Description = "dataset root folder" };
        var cmd = new Command("show", "Count images per category and defect, with image sizes.") { root, Format, Categories };
        cmd.SetAction(parse =>
        {
            GlobalOptions.Apply(parse);
            var split = LoadAll(parse.GetValue(root)!, parse.GetValue(Format)!, parse.GetValue(Categories));
            Console.WriteLine(split);
            var table = new Table().AddColumn("category").AddColumn("split").AddColumn("defect").AddColumn(new TableColumn("images").RightAligned()).AddColumn(new TableColumn("masks").RightAligned()).AddColumn("image sizes");
            foreach (var cat in split.Categories)
                foreach (var (name, list) in new[] { ("train", split.Train), ("test", split.Test) })
                    foreach (var g in list.Where(s => s.Category == cat).GroupBy(s => s.Defect).OrderBy(g => g.Key == AnomalySample.Good ? "" : g.Key, StringComparer.Ordinal))
                        table.AddRow(Markup.Escape(cat), name, Markup.Escape(g.Key), g.Count().ToString(), g.Count(s => s.MaskPath != null).ToString(), Markup.Escape(Sizes(g)));
            AnsiConsole.Write(table);
            foreach (var w in split.Warnings) Console.Error.WriteLine("warning: " + w);
            return 0;
        });
        return cmd;
    }

    static Command Bench()
    {
        var root = new Argument<string>("root") { Description = "dataset root folder" };
        var size = new Option<int>("--size") { Description = "target image side", DefaultValueFactory = _ => 256 };
        var cmd = new Command("bench", "Measure decode + resize throughput: cold (empty disk cache), then cached on disk.") { root, size, Format, Categories };
        cmd.SetAction(parse =>
        {
            var device = GlobalOptions.Apply(parse);
            var split = LoadAll(parse.GetValue(root)!, parse.GetValue(Format)!, parse.GetValue(Categories));
            var samples = split.Train.Concat(split.Test).ToList();
            int n = samples.Count, masks = samples.Count(s => s.MaskPath != null), side = parse.GetValue(size);
            var cache = Path.Combine(Path.GetTempPath(), "wb-data-bench-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                double Run(string label)
                {
                    var loader = new BatchLoader(samples, side, new ImageStore(cache), device);
                    var clock = Stopwatch.StartNew();
                    loader.Preload(ProgressSinks.ForConsole());
                    double s = clock.Elapsed.TotalSeconds;
                    Console.WriteLine($"{label}: {n} images + {masks} masks in {s:F2} s = {n / s:F1} images/s");
                    return s;
                }
                Console.WriteLine($"{split}; size {side}; {Environment.ProcessorCount} cores");
                Run("cold (empty disk cache)");
                Run("cached (disk cache, fresh memory)");
                var warm = new BatchLoader(samples, side, new ImageStore(cache), device);
                warm.Preload();
                foreach (var b in warm.Batches(32, shuffle: true, seed: 0)) b.Dispose(); // warm-up (JIT, allocator)
                var clock = Stopwatch.StartNew();
                foreach (var b in warm.Batches(32, shuffle: true, seed: 1)) b.Dispose();
                Console.WriteLine($"batches (memory → {device} tensors, B=32, normalised): {n / clock.Elapsed.TotalSeconds:F1} images/s");
            }
            finally { try { Directory.Delete(cache, true); } catch (IOException) { } }
            return 0;
        });
        return cmd;
    }

    static DatasetSplit LoadAll(string root, string format, string[]? categories)
    {
        if (format == "auto")
            format = File.Exists(Path.Combine(root, VisaLayout.SplitFile)) ? "visa"
                : File.Exists(Path.Combine(root, "test_batch.bin")) || Directory.Exists(Path.Combine(root, "cifar-10-batches-bin")) ? "cifar10"
                : Directory.Exists(Path.Combine(root, "normal")) ? "folder" : "mvtec";
        var cats = categories is { Length: > 0 } ? categories : null;
        return format switch
        {
            "mvtec" => MvtecLayout.Load(root, cats ?? MvtecLayout.Categories(root).ToArray(), Protocols.MultiClass,
                File.Exists(Path.Combine(root, "synthetic.json")) ? SyntheticBenchmark.DatasetName : Path.GetFileName(Path.TrimEndingDirectorySeparator(root))),
            "visa" => VisaLayout.Load(root, cats ?? VisaLayout.Categories(root).ToArray(), Protocols.MultiClass),
            "cifar10" => Cifar10OneClass.Load(root, cats?[0] ?? "airplane"),
            "folder" => FolderDataset.Load(Path.Combine(root, "normal"), Path.Combine(root, "abnormal"),
                Directory.Exists(Path.Combine(root, "masks")) ? Path.Combine(root, "masks") : null),
            _ => throw new ArgumentException($"--format {format}: expected auto, mvtec, visa, cifar10 or folder"),
        };
    }

    static string Sizes(IEnumerable<AnomalySample> samples)
    {
        var sizes = samples.Select(s => InMemoryImages.IsMemoryPath(s.ImagePath)
            ? (InMemoryImages.Get(s.ImagePath).Width, InMemoryImages.Get(s.ImagePath).Height)
            : ImageFiles.Size(s.ImagePath));
        return string.Join(", ", sizes.GroupBy(x => x).OrderByDescending(g => g.Count()).Select(g => $"{g.Key.Item1}×{g.Key.Item2} ({g.Count()})"));
    }
}
