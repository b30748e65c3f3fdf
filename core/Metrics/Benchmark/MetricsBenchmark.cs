using System.Diagnostics;
using TorchSharp;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Metrics.Benchmark;

/// <summary>One timed step: wall time, process CPU time (user+system, all threads; robust to other
/// load on a shared machine), the process's peak resident set during it and the value.</summary>
public sealed record BenchmarkStep(string Name, double Seconds, double CpuSeconds, long PeakBytes, long BaselineBytes, string Value);

/// <summary>Times each metric on a test set, one after another, with the peak memory of each.
/// On a GPU both ways the trainer can evaluate are timed: on the device (tensor path) and on the CPU
/// (maps copied over, managed scan). Not a test: numbers depend on the machine (results/benchmarks/metrics.md).</summary>
public static class MetricsBenchmark
{
    public static IReadOnlyList<BenchmarkStep> Run(SyntheticScoreMaps set, bool rd4adPro, bool tensorPath = false, Action<BenchmarkStep>? onStep = null)
    {
        var steps = new List<BenchmarkStep>();
        void Step(string name, Func<string> work)
        {
            GC.Collect(); GC.WaitForPendingFinalizers();
            long baseline = PeakMemory.CurrentBytes();
            PeakMemory.Reset();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            string value;
            using (NewDisposeScope()) value = work();
            DeviceSync.Wait(set.Maps.device);
            var wall = clock.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var s = new BenchmarkStep(name, wall, cpu, PeakMemory.Bytes(), baseline, value);
            steps.Add(s);
            onStep?.Invoke(s);
        }

        Step("image AUROC+AP+F1max", () => Format(BinaryMetrics.All(set.Maps.amax(new long[] { 1, 2 }), set.Labels)));
        Step("pixel AUROC+AP+F1max", () => Format(BinaryMetrics.All(set.Maps, set.Masks)));
        Step("AUPRO (alone)", () => $"{Aupro.Compute(set.Maps, set.Masks):F6}");
        Step("all pixel metrics (one sort)", () =>
        {
            var p = PixelMetrics.Compute(set.Maps, set.Masks);
            return $"AUROC {p.Auroc:F6} AP {p.AveragePrecision:F6} F1 {p.F1Max:F6} AUPRO {p.Aupro:F6}";
        });
        if (tensorPath) Step("all pixel metrics, tensor path", () =>
        {
            var p = PixelMetrics.Compute(set.Maps, set.Masks, path: ScanPath.Tensor);
            return $"AUROC {p.Auroc:F6} AP {p.AveragePrecision:F6} F1 {p.F1Max:F6} AUPRO {p.Aupro:F6}";
        });
        if (rd4adPro) Step("Rd4adPro (per image, 200 thr.)", () => $"{Rd4adPro.Compute(set.Maps, set.Masks):F6}");
        var device = set.Maps.device;
        Step($"Evaluate.Run on {device}", () => Overall(Evaluate.Run(set.Maps, set.Masks, set.Labels)));
        if (device.type != DeviceType.CPU)
            Step("Evaluate.Run on cpu (incl. copy)", () => Overall(Evaluate.Run(set.Maps.cpu(), set.Masks.cpu(), set.Labels.cpu())));
        return steps;
    }

    static string Overall(EvaluationResult e) =>
        $"img AUROC {e.Overall.ImageAuroc:F6} px AUROC {e.Overall.PixelAuroc:F6} AUPRO {e.Overall.Aupro:F6}";

    static string Format(BinaryScores s) => $"AUROC {s.Auroc:F6} AP {s.AveragePrecision:F6} F1 {s.F1Max:F6}";

    /// <summary>Writes the set as raw little-endian files for the Python reference
    /// (maps.f32, masks.u8, labels.u8, shape.txt "N H W").</summary>
    public static void Export(SyntheticScoreMaps set, string folder)
    {
        Directory.CreateDirectory(folder);
        using var scope = NewDisposeScope();
        File.WriteAllText(Path.Combine(folder, "shape.txt"), string.Join(" ", set.Maps.shape));
        WriteRaw(set.Maps.cpu().contiguous(), Path.Combine(folder, "maps.f32"));
        WriteRaw(set.Masks.cpu().contiguous(), Path.Combine(folder, "masks.u8"));
        WriteRaw(set.Labels.to(ScalarType.Byte).cpu().contiguous(), Path.Combine(folder, "labels.u8"));
    }

    static void WriteRaw(Tensor t, string path)
    {
        using var f = File.Create(path);
        long total = t.numel(), step = 1 << 24;
        var flat = t.reshape(-1);
        for (long s = 0; s < total; s += step)
        {
            using var part = flat.narrow(0, s, Math.Min(step, total - s));
            f.Write(part.bytes);
        }
    }
}
