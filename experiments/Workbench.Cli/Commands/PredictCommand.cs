using System.CommandLine;
using System.Globalization;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Cli.Commands;

/// <summary>`workbench predict`: anomaly maps, overlays and scores for a folder of images.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var ckpt = new Option<string>("--checkpoint") { Description = "checkpoint.zip of a run", Required = true };
        var images = new Option<string>("--images") { Description = "folder of PNG/JPEG images", Required = true };
        var outDir = new Option<string>("--out") { Description = "output folder", Required = true };
        var size = new Option<int>("--size") { Description = "image size the model was trained at", DefaultValueFactory = _ => 128 };
        var seed = new Option<int?>("--seed") { Description = "the run's seed (rebuilds a random teacher exactly); default: from the manifest.json next to the checkpoint" };
        var cmd = new Command("predict", "Write anomaly maps (PNG), overlays and scores.csv for a folder of images.") { ckpt, images, outDir, size, seed };
        cmd.SetAction(p =>
        {
            var device = GlobalOptions.Apply(p);
            var dir = p.GetValue(images)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--images {dir}: folder not found");
            var files = Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new ArgumentException($"--images {dir}: no .png/.jpg files");
            int s = p.GetValue(size);
            var config = Checkpoint.ReadConfig(p.GetValue(ckpt)!);
            int runSeed = p.GetValue(seed) ?? CheckpointScorer.RunSeed(p.GetValue(ckpt)!)
                ?? throw new ArgumentException($"--checkpoint {p.GetValue(ckpt)}: no manifest.json beside it to read the run's seed from; give --seed");
            using var method = MethodFactory.Create(config, device, runSeed);
            Checkpoint.Load(p.GetValue(ckpt)!, method);
            var store = new ImageStore();
            var rasters = store.LoadMany(files.Select(f => new ImageRequest(f, s, s, IsMask: false)).ToList());
            var output = p.GetValue(outDir)!;
            Directory.CreateDirectory(output);
            var lines = new List<string> { "file,score" };
            var maps = new List<float[]>();
            using (var bar = ProgressSinks.ForConsole().Start("predict", files.Count, "images"))
                for (int i = 0; i < files.Count; i++)
                {
                    using var scope = NewDisposeScope();
                    var x = ImageTensors.NormalizeImageNet(ImageTensors.ToTensor(rasters[i], device)).unsqueeze(0);
                    using var pred = method.Predict(x);
                    maps.Add(pred.Maps.to(CPU).flatten().data<float>().ToArray());
                    lines.Add($"{Path.GetFileName(files[i])},{pred.Scores.item<float>().ToString("R", CultureInfo.InvariantCulture)}");
                    bar.Advance(1);
                }
            // One colour scale for the whole folder, so maps are comparable across images.
            float lo = maps.Min(m => m.Min()), hi = maps.Max(m => m.Max());
            for (int i = 0; i < files.Count; i++)
            {
                var name = Path.GetFileNameWithoutExtension(files[i]);
                var heat = Heatmap.Colorize(maps[i], s, s, lo, hi);
                PngWriter.Write(Path.Combine(output, name + "_map.png"), heat);
                PngWriter.Write(Path.Combine(output, name + "_overlay.png"), Heatmap.Overlay(rasters[i], heat, 0.5f));
            }
            AtomicFile.WriteAllText(Path.Combine(output, "scores.csv"), string.Join("\n", lines) + "\n");
            Console.WriteLine($"predict: {files.Count} images → {output} (maps scaled to [{lo:G4}, {hi:G4}]; teacher: {method.TeacherDescription})");
            return 0;
        });
        return cmd;
    }
}
