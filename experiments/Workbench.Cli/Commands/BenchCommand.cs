using System.CommandLine;
using System.Globalization;
using Workbench.Engine;
using Workbench.Methods;
using static TorchSharp.torch;

namespace Workbench.Cli.Commands;

/// <summary>`workbench bench train`: training and inference images/s and peak memory of a method,
/// on random images (speed does not depend on content). A benchmark, never a test.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var methods = new Option<string[]>("--methods") { Description = $"methods to measure, or all ({string.Join(", ", MethodFactory.Names)})", DefaultValueFactory = _ => new[] { "fd", "rd" }, AllowMultipleArgumentsPerToken = true };
        var teachers = new Option<string[]>("--teachers") { Description = "teacher architectures", DefaultValueFactory = _ => new[] { "resnet18", "wide_resnet50_2" }, AllowMultipleArgumentsPerToken = true };
        var sizes = new Option<int[]>("--sizes") { Description = "image sizes", DefaultValueFactory = _ => new[] { 128, 256 }, AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "timed steps per measurement (after one warm-up step)", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "append a Markdown table to this file" };
        var train = new Command("train", "Measure training and inference throughput and peak memory.") { methods, teachers, sizes, batch, steps, output };
        train.SetAction(p =>
        {
            var device = GlobalOptions.Apply(p);
            int b = p.GetValue(batch), n = p.GetValue(steps);
            var rows = new List<string> { "| method | teacher | size | batch | train img/s | infer img/s | peak RSS (GiB) | student params (M) |", "|---|---|---|---|---|---|---|---|" };
            var chosen = p.GetValue(methods)!;
            foreach (var m in chosen.Length == 1 && chosen[0] == "all" ? MethodFactory.Names.ToArray() : chosen)
                foreach (var t in p.GetValue(teachers)!)
                    foreach (var s in p.GetValue(sizes)!)
                    {
                        var cfg = MethodFactory.DefaultConfig(m) with { Teacher = t, TeacherWeights = "random" };
                        using var method = MethodFactory.Create(cfg, device, 0);
                        using var x = randn(b, 3, s, s, device: device);
                        var (trainIps, inferIps) = TrainingThroughput.Measure(method, x, n);
                        var student = method.ParameterCounts().Where(kv => kv.Key != "teacher").Sum(kv => kv.Value);
                        var row = string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3} | {4:F2} | {5:F2} | {6:F2} | {7:F1} |",
                            m, t, s, b, trainIps, inferIps, RunManifest.PeakMemory() / (double)(1L << 30), student / 1e6);
                        Console.WriteLine(row);
                        rows.Add(row);
                    }
            if (p.GetValue(output) is { } file)
            {
                // Rows go under the existing table when the file already has one, so one process per
                // configuration (for a clean peak-memory figure) still builds a single table.
                bool hasTable = File.Exists(file) && File.ReadAllText(file).Contains("| method | teacher |");
                var header = $"\n{RunManifest.MachineDescription()}, device {device}, {get_num_threads()} threads. Peak RSS is the process high-water mark after the row's measurement.\n\n";
                File.AppendAllText(file, hasTable ? string.Join("\n", rows.Skip(2)) + "\n" : header + string.Join("\n", rows) + "\n");
            }
            return 0;
        });
        var cmd = new Command("bench", "Benchmarks (speed and memory; never asserted in tests).") { train };
        return cmd;
    }
}
