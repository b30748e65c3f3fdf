using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Workbench.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries from the fixed copies in the build output, so the same
/// binaries work from the CLI, tests and `dotnet fsi` scripts (where TorchSharp would otherwise
/// fall back to the unpatched copy in the NuGet cache). Call <see cref="EnsureLoaded"/> before
/// the first torch call; it is idempotent and cheap.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool loaded;

    /// <summary>Where the native libraries were loaded from (null when TorchSharp found them itself).</summary>
    public static string? NativeDirectory { get; private set; }

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded) return;
            NativeDirectory = FindNativeDirectory();
            if (NativeDirectory != null && OperatingSystem.IsLinux())
            {
                // Order matters: libtorch first, then the TorchSharp shim that links against it.
                foreach (var lib in new[] { "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so", "libLibTorchSharp.so" })
                {
                    var path = Path.Combine(NativeDirectory, lib);
                    if (File.Exists(path)) NativeLibrary.Load(path);
                }
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            NnPack.Enabled = false; // unusable here and logs a warning per convolution; see NnPack.cs
            NativeAllocator.KeepFreedMemory(); // 2-3× faster CPU forwards; see NativeAllocator.cs
            loaded = true;
        }
    }

    /// <summary>The folder holding libLibTorchSharp next to Workbench.Core.dll, if any.</summary>
    public static string? FindNativeDirectory()
    {
        var baseDir = Path.GetDirectoryName(typeof(TorchRuntime).Assembly.Location);
        if (string.IsNullOrEmpty(baseDir)) baseDir = AppContext.BaseDirectory;
        var rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64") ? "linux-arm64" : "linux-x64";
        foreach (var dir in new[] { baseDir, Path.Combine(baseDir, "runtimes", rid, "native") })
            if (File.Exists(Path.Combine(dir, "libLibTorchSharp.so"))) return dir;
        return null;
    }

    /// <summary>What the native fix did to the library in use, for `workbench info` and manifests.</summary>
    public static string NativeFixStatus()
    {
        if (!OperatingSystem.IsLinux()) return "not needed (not Linux)";
        var dir = NativeDirectory ?? FindNativeDirectory();
        if (dir == null) return "unknown (libLibTorchSharp.so not found next to Workbench.Core.dll)";
        var lib = Path.Combine(dir, "libLibTorchSharp.so");
        var needs = ElfVersionNeeds.Read(File.ReadAllBytes(lib), lib);
        var weak = needs.Where(n => n.Weak).Select(n => n.Version).ToList();
        var stdcxx = ElfVersionNeeds.FindSystemLibStdCxx();
        var missing = needs.Where(n => n.File.StartsWith("libstdc++") && stdcxx != null
                                       && !ElfVersionNeeds.LibraryDefinesVersion(stdcxx, n.Version))
                           .Select(n => n.Version).ToList();
        if (weak.Count > 0) return $"applied ({string.Join(", ", weak)} marked weak in {lib})";
        if (missing.Count == 0) return "not needed (system libstdc++ has every required version)";
        return $"NOT applied: system libstdc++ lacks {string.Join(", ", missing)}; rebuild the project";
    }

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>libtorch version, read from the native package folder name or the library itself.</summary>
    public static string LibTorchVersion()
    {
        EnsureLoaded();
        try { return torch.__version__; } catch { return "unknown"; }
    }
}
