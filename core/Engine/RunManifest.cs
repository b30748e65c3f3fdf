using System.Diagnostics;
using System.Runtime.InteropServices;
using Workbench.Runtime;

namespace Workbench.Engine;

/// <summary>Facts about a run that make it reproducible and comparable: written as manifest.json.</summary>
public sealed record RunManifest
{
    public required RunConfig Config { get; init; }
    public required string Teacher { get; init; }
    public required bool TeacherPretrained { get; init; }
    public required string GitCommit { get; init; }
    public required string Device { get; init; }
    /// <summary>Where the metrics were computed (Trainer.MetricsDevice resolved); null in manifests written before it existed.</summary>
    public string? MetricsDevice { get; init; }
    public required string TorchSharp { get; init; }
    public required string LibTorch { get; init; }
    public required int Threads { get; init; }
    public required string Machine { get; init; }
    public required string StartedUtc { get; init; }
    public required Dictionary<string, long> Parameters { get; init; }
    public Dictionary<string, double> PhaseSeconds { get; init; } = new();
    public long PeakMemoryBytes { get; set; }
    public int TrainImages { get; init; }
    public int TestImages { get; init; }
    public bool Resumed { get; init; }
    public string? Note { get; init; }

    public static string ReadGitCommit(string startDir)
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = startDir, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            if (p.ExitCode != 0 || sha.Length == 0) return "unknown";
            // results/ holds outputs, not code: regenerated tables there must not make the next script's tree "dirty"
            var status = new ProcessStartInfo("git") { WorkingDirectory = startDir, RedirectStandardOutput = true };
            foreach (var arg in new[] { "status", "--porcelain", "--untracked-files=no", "--", ".", ":(top,exclude)results" }) status.ArgumentList.Add(arg);
            var dirty = Process.Start(status)!;
            var changes = dirty.StandardOutput.ReadToEnd().Trim();
            dirty.WaitForExit(5000);
            return changes.Length > 0 ? sha + "-dirty" : sha;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return "unknown"; }
    }

    /// <summary>OS, CPU model, core count and runtime. The CPU model is there because CPU runs with the same
    /// seed, code and thread count still differ between CPU models (different libtorch kernels; README, Known issues).</summary>
    public static string MachineDescription() =>
        $"{RuntimeInformation.OSDescription}, {CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}";

    /// <summary>The first "model name" of /proc/cpuinfo (Linux x86), else the process architecture.</summary>
    static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Peak resident memory of this process so far (VmHWM on Linux).</summary>
    public static long PeakMemory()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }
}
