using System.CommandLine;
using Spectre.Console;
using Workbench.Backbones;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Cli.Commands;

/// <summary>`workbench teacher inspect|bench`: what a teacher is made of and what loaded; forward throughput.</summary>
public static class TeacherCommand
{
    static readonly Option<string> Name = new("--teacher")
    {
        Description = $"backbone: {string.Join(" | ", ResNetSpec.Names)}",
        DefaultValueFactory = _ => "resnet18",
    };

    static readonly Option<int> Seed = new("--seed") { Description = "initialisation seed (for --teacher-weights random)", DefaultValueFactory = _ => 0 };

    static readonly Option<int> LastStage = new("--last-stage") { Description = "deepest stage returned (3: layer1..layer3; 4 adds layer4)", DefaultValueFactory = _ => 3 };

    public static Command Create()
    {
        var cmd = new Command("teacher", "Teacher backbones: inspect one, or measure forward throughput.");
        cmd.Add(Inspect());
        cmd.Add(Bench());
        return cmd;
    }

    static Command Inspect()
    {
        var weights = new Option<string>("--teacher-weights")
        {
            Description = "a .pth/.pt (torch.save) or .safetensors state_dict with torchvision names, or \"random\"",
            Required = true,
        };
        var size = new Option<int>("--size") { Description = "input size for the printed feature shapes", DefaultValueFactory = _ => 256 };
        var cmd = new Command("inspect", "Print a teacher's layers, parameter counts, and what its weights file loaded and skipped.")
            { Name, weights, Seed, LastStage, size };
        cmd.SetAction(parse =>
        {
            var device = GlobalOptions.Apply(parse);
            using var teacher = Teacher.Create(parse.GetValue(Name)!, parse.GetValue(weights)!, parse.GetValue(Seed), device, parse.GetValue(LastStage));
            int s = parse.GetValue(size);
            Console.WriteLine(teacher.Description);
            if (teacher.WeightsPath is { } p) Console.WriteLine($"weights: {Path.GetFullPath(p)}");

            using var x = zeros(1, 3, s, s, device: device);
            var feats = teacher.Forward(x);
            var table = new Table().AddColumn("module").AddColumn("parameters", c => c.RightAligned())
                                   .AddColumn("output channels", c => c.RightAligned()).AddColumn("stride", c => c.RightAligned())
                                   .AddColumn($"output at {s} px");
            var counts = teacher.Backbone.named_parameters()
                .GroupBy(np => np.name.Split('.')[0])
                .ToDictionary(g => g.Key, g => g.Sum(np => np.parameter.numel()));
            foreach (var stem in new[] { "conv1", "bn1" })
                table.AddRow(stem, $"{counts.GetValueOrDefault(stem):N0}", "", "", "");
            for (int i = 0; i < teacher.LastStage; i++)
                table.AddRow($"layer{i + 1}", $"{counts.GetValueOrDefault($"layer{i + 1}"):N0}", teacher.Channels[i].ToString(),
                             teacher.Strides[i].ToString(), Markup.Escape($"[{string.Join(", ", feats[i].shape)}]"));
            table.AddRow("[bold]total[/]", $"[bold]{teacher.ParameterCount:N0}[/]", "", "", "");
            AnsiConsole.Write(table);
            foreach (var f in feats) f.Dispose();

            var load = teacher.Load;
            Console.WriteLine($"load: {load.Summary}");
            Console.WriteLine($"  loaded:  {Grouped(load.Loaded)}");
            Console.WriteLine($"  skipped: {Grouped(load.Skipped)}");
            Console.WriteLine($"  left unloaded: {Grouped(load.Missing)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>"layer4.* (60), fc.* (2)": one entry per top-level module.</summary>
    static string Grouped(IReadOnlyList<string> keys) => keys.Count == 0 ? "(none)" :
        string.Join(", ", keys.GroupBy(k => k.Split('.')[0]).Select(g => g.Count() == 1 && g.First() == g.Key ? g.Key : $"{g.Key}.* ({g.Count()})"));

    static Command Bench()
    {
        var names = new Option<string>("--teachers") { Description = "comma-separated backbones", DefaultValueFactory = _ => string.Join(",", ResNetSpec.Names) };
        var sizes = new Option<string>("--sizes") { Description = "comma-separated input sizes", DefaultValueFactory = _ => "128,256" };
        var batches = new Option<string>("--batches") { Description = "comma-separated batch sizes", DefaultValueFactory = _ => "8,16" };
        var iterations = new Option<int>("--iterations") { Description = "timed batches per setting", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "untimed batches first", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "also write the Markdown table to this file" };
        var cmd = new Command("bench", "Forward throughput (images/s) of random-init teachers, layer1..--last-stage only, no grad.")
            { names, sizes, batches, iterations, warmup, LastStage, output };
        cmd.SetAction(parse =>
        {
            var device = GlobalOptions.Apply(parse);
            static int[] Ints(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v.Trim())).ToArray();
            var lines = new List<string>
            {
                "| teacher | size | batch | median s/batch | images/s (median) | images/s (best batch) |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            };
            foreach (var name in parse.GetValue(names)!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                // Weights do not change the cost of a forward: random init, labelled as such in the header.
                using var teacher = Teacher.Create(name.Trim(), Teacher.RandomWeights, parse.GetValue(Seed), device, parse.GetValue(LastStage));
                foreach (var size in Ints(parse.GetValue(sizes)!))
                    foreach (var batch in Ints(parse.GetValue(batches)!))
                    {
                        var r = TeacherThroughput.Measure(teacher, size, batch, parse.GetValue(iterations), parse.GetValue(warmup));
                        var line = $"| {r.Teacher} | {size} | {batch} | {r.MedianSeconds:F3} | {r.ImagesPerSecond:F1} | {r.BestImagesPerSecond:F1} |";
                        Console.WriteLine(line);
                        lines.Add(line);
                    }
            }
            if (parse.GetValue(output) is { } path)
            {
                var header = $"device {device}, {get_num_threads()} threads, oneDNN {(OneDnn.Enabled is true ? "on" : "off")}, " +
                             $"layer1..layer{parse.GetValue(LastStage)}, {parse.GetValue(warmup)} warm-up + {parse.GetValue(iterations)} timed batches each, random-init weights (weights do not change the cost)";
                File.WriteAllLines(path, new[] { header, "" }.Concat(lines));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return cmd;
    }
}
