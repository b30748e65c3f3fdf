using System.CommandLine;
using System.Globalization;
using System.Text;
using Workbench.Engine;
using Workbench.Methods;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench quick`: the README's main job. Generates the built-in synthetic benchmark, trains FD
/// and RD in the multi-class protocol on all its categories, evaluates them next to an untrained
/// RD student (the broken control every method must beat), and writes a summary table.
/// Synthetic data: this compares methods with each other; it is not a paper reproduction.
/// </summary>
public static class QuickCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "image size", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "training epochs per method", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var weights = new Option<string>("--teacher-weights") { Description = "ImageNet weights for the resnet18 teacher, 'random' (labelled), or 'auto': the shared ResNet-18 weights at ../shared/weights when present, else random", DefaultValueFactory = _ => "auto" };
        var outDir = new Option<string>("--out") { Description = "where runs and the summary go", DefaultValueFactory = _ => Path.Combine("runs", "quick") };
        var cmd = new Command("quick", "Main job on built-in data: FD and RD vs an untrained control on the synthetic benchmark (multi-class).") { size, epochs, seed, weights, outDir };
        cmd.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            int s = p.GetValue(size), e = p.GetValue(epochs), sd = p.GetValue(seed);
            var w = p.GetValue(weights) ?? "auto";
            if (w == "auto")
            {
                // relative, as the manifest records it: committed results never carry this machine's paths
                var shared = Path.Combine("..", "shared", "weights", "resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors");
                w = File.Exists(shared) ? shared : "random";
                Console.WriteLine(w == "random" ? "teacher: no shared weights found; using a RANDOM (not pretrained) resnet18" : $"teacher: ImageNet resnet18 from {w}");
            }
            var root = p.GetValue(outDir)!;
            var data = new DataConfig("synthetic", Path.Combine("runs", "data", $"synthetic-{s}"), Array.Empty<string>(), "multi-class", s);
            var trainer = new Trainer(ProgressSinks.ForConsole(), Console.Out);
            var runs = new List<(string Label, RunResult Result)>();
            foreach (var (label, method, ep) in new[] { ("FD", "fd", e), ("RD", "rd", e), ("RD untrained (control)", "rd", 0) })
            {
                var cfg = MethodFactory.DefaultConfig(method) with { Teacher = "resnet18", TeacherWeights = w, Epochs = ep };
                var run = new RunConfig
                {
                    Data = data, Method = cfg, Seed = sd, BatchSize = 16, Device = p.GetValue(GlobalOptions.Device) ?? "auto",
                    OutDir = Path.Combine(root, ep == 0 ? $"{method}-untrained" : method),
                };
                Console.WriteLine($"== {label}: {ep} epochs, {data.Protocol}, {s} px");
                runs.Add((label, trainer.Run(run)));
            }
            var md = new StringBuilder();
            md.AppendLine($"# Quick run — built-in synthetic benchmark (multi-class, {s} px, seed {sd})\n");
            md.AppendLine($"Teacher: {runs[0].Result.Teacher}. Synthetic data: a code-path and method-vs-method check, not a paper reproduction.\n");
            md.AppendLine("| method | epochs | image AUROC | pixel AUROC | AUPRO |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var (label, r) in runs)
                md.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:F1} | {3:F1} | {4:F1} |", label, r.History.Count,
                    100 * r.Metrics.Mean.ImageAuroc, 100 * r.Metrics.Mean.PixelAuroc, 100 * r.Metrics.Mean.Aupro));
            md.AppendLine($"\nRun folders (manifest, metrics, scores): {string.Join(", ", runs.Select(r => r.Result.RunDir))}");
            Directory.CreateDirectory(root);
            AtomicFile.WriteAllText(Path.Combine(root, "summary.md"), md.ToString());
            Console.WriteLine();
            Console.WriteLine(md.ToString());
            Console.WriteLine($"summary written to {Path.Combine(root, "summary.md")}");
            Console.WriteLine("the full experiments (every method, 3 seeds, tables and figures): dotnet build Workbench.sln && dotnet fsi experiments/<experiment>.fsx --preset quick; see results/README.md");
            return 0;
        });
        return cmd;
    }
}
