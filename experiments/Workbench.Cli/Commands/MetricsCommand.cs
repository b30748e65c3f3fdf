using System.CommandLine;
using Workbench.Metrics.Benchmark;

namespace Workbench.Cli.Commands;

/// <summary>`workbench metrics bench`: times every metric on a synthetic MVTec-sized test set
/// (see results/benchmarks/metrics.md); optionally exports the set for the Python reference.</summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var maps = new Option<int>("--maps") { Description = "number of anomaly maps", DefaultValueFactory = _ => 1725 };
        var size = new Option<int>("--size") { Description = "map side in pixels", DefaultValueFactory = _ => 256 };
        var share = new Option<double>("--anomalous") { Description = "share of anomalous images", DefaultValueFactory = _ => 0.15 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var rd4ad = new Option<bool>("--rd4ad-pro") { Description = "also time RD4AD's per-image PRO" };
        var tensorPath = new Option<bool>("--tensor-path") { Description = "also time the device-generic tensor path (what runs on CUDA) on this device" };
        var export = new Option<string?>("--export") { Description = "write the set as raw files to this folder (for the Python reference)" };
        var output = new Option<string?>("--out") { Description = "also write the timings as a Markdown table to this file" };
        var bench = new Command("bench", "Time AUROC/AP/F1-max/AUPRO on a synthetic MVTec-sized test set.") { maps, size, share, seed, rd4ad, tensorPath, export, output };
        bench.SetAction(parse =>
        {
            var device = GlobalOptions.Apply(parse);
            int n = parse.GetValue(maps), s = parse.GetValue(size);
            if (n < 2 || s < 8) throw new ArgumentException("--maps must be ≥ 2 and --size ≥ 8");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var set = SyntheticScoreMaps.Create(n, s, parse.GetValue(share), parse.GetValue(seed), device);
            long anomalous = set.Labels.sum().item<long>();
            Console.WriteLine($"set: {n} maps × {s}² = {(double)n * s * s / 1e6:F1} M pixels, {anomalous} anomalous images, on {device}; made in {clock.Elapsed.TotalSeconds:F1} s");
            if (parse.GetValue(export) is { } folder)
            {
                MetricsBenchmark.Export(set, folder);
                Console.WriteLine($"exported to {folder}");
            }
            Console.WriteLine($"{"metric",-32} {"wall s",8} {"CPU s",8} {"peak MB",8} {"base MB",8}  value");
            var steps = MetricsBenchmark.Run(set, parse.GetValue(rd4ad), parse.GetValue(tensorPath), st =>
                Console.WriteLine($"{st.Name,-32} {st.Seconds,8:F2} {st.CpuSeconds,8:F2} {st.PeakBytes / 1e6,8:F0} {st.BaselineBytes / 1e6,8:F0}  {st.Value}"));
            if (parse.GetValue(output) is { } file)
            {
                var md = new System.Text.StringBuilder($"{n} maps × {s}² on {device}, {Workbench.Engine.RunManifest.MachineDescription()}. Peak MB is host memory.\n\n");
                md.AppendLine("| metric | wall s | CPU s | peak MB | value |").AppendLine("|---|---|---|---|---|");
                foreach (var st in steps)
                    md.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| {st.Name} | {st.Seconds:F2} | {st.CpuSeconds:F2} | {st.PeakBytes / 1e6:F0} | {st.Value} |"));
                File.WriteAllText(file, md.ToString());
            }
            return 0;
        });
        var cmd = new Command("metrics", "Evaluation metrics tools.") { bench };
        return cmd;
    }
}
