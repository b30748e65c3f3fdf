using System.Globalization;
using System.Text.RegularExpressions;
using Workbench.Metrics.Benchmark;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Metrics;

/// <summary>`workbench metrics bench`: both evaluation paths are timed, and they agree.</summary>
public class MetricsBenchmarkTests
{
    static double Aupro(BenchmarkStep s) => double.Parse(Regex.Match(s.Value, @"AUPRO (\S+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [SkippableTheory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void DevicePathAndCpuPathAreBothTimedAndAgree(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var set = SyntheticScoreMaps.Create(16, 64, 0.5, seed: 2, device);
        var steps = MetricsBenchmark.Run(set, rd4adPro: false, tensorPath: true);
        var names = steps.Select(s => s.Name).ToList();
        Assert.Contains($"Evaluate.Run on {device}", names);
        // The tensor path (what runs on a GPU) against the CPU path: on a GPU the CPU one is the copy-then-scan
        // step; on the CPU, the managed scan behind "one sort".
        var devicePath = steps.Single(s => s.Name == (deviceName == "cpu" ? "all pixel metrics, tensor path" : $"Evaluate.Run on {device}"));
        var cpuPath = steps.Single(s => s.Name == (deviceName == "cpu" ? "all pixel metrics (one sort)" : "Evaluate.Run on cpu (incl. copy)"));
        Assert.Equal(Aupro(cpuPath), Aupro(devicePath), 4);
        Assert.All(steps, s => Assert.True(s.Seconds >= 0 && s.Value.Length > 0, s.Name));
        if (deviceName == "cpu") Assert.DoesNotContain("Evaluate.Run on cpu (incl. copy)", names);
    }
}
