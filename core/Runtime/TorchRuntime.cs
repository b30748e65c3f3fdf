using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Workbench.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries before the first torch call: libtorch from the folder
/// <see cref="LibTorchLocation"/> resolves (by default the package's copy in the build output; or an
/// installed PyTorch's torch/lib, via <see cref="UseLibTorch"/> / --libtorch or $WORKBENCH_LIBTORCH), then
/// TorchSharp's shim from the build output, whose copy carries the Debian 12 fix (scripts and notebooks
/// would otherwise get the unpatched copy in the NuGet cache). Call <see cref="EnsureLoaded"/> before
/// the first torch call; it is idempotent and cheap.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool loaded;
    static (string? Value, string Name)? request;

    /// <summary>Where libLibTorchSharp was loaded from (null when TorchSharp found its libraries itself).</summary>
    public static string? NativeDirectory { get; private set; }

    /// <summary>Where libtorch was loaded from and why (null when TorchSharp found it itself: not Linux, or no shim in the build output).</summary>
    public static LibTorchLocation? LibTorch { get; private set; }

    /// <summary>
    /// Chooses libtorch before it is loaded: a folder, "python" or "package" (see <see cref="LibTorchLocation.Resolve"/>).
    /// Overrides $WORKBENCH_LIBTORCH. <paramref name="requestName"/> (e.g. "--libtorch") is named in errors.
    /// </summary>
    /// <exception cref="InvalidOperationException">libtorch is already loaded from somewhere else</exception>
    public static void UseLibTorch(string? value, string requestName)
    {
        lock (Gate)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            if (loaded)
            {
                var wanted = LibTorchLocation.Resolve(value, requestName, NativeDirectory, () => PythonTorch.FindLibDirectory());
                if (LibTorch == null || wanted.Directory != LibTorch.Directory)
                    throw new InvalidOperationException($"{requestName} {value}: libtorch is already loaded from {LibTorch?.Directory ?? "TorchSharp's own search"}; choose it before the first torch call");
                return;
            }
            request = (value, requestName);
        }
    }

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded) return;
            NativeDirectory = FindNativeDirectory();
            if (NativeDirectory != null && OperatingSystem.IsLinux())
            {
                var (value, name) = request ?? (Environment.GetEnvironmentVariable(LibTorchLocation.EnvironmentVariable), LibTorchLocation.EnvironmentVariable);
                LibTorch = LibTorchLocation.Resolve(value, name, NativeDirectory, () => PythonTorch.FindLibDirectory());
                NativeLoader.Load(LibTorch, NativeDirectory);
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            if (LibTorch != null && LoadedLibTorchFiles().Count > 1)
                throw new InvalidOperationException($"two libtorch copies are loaded ({string.Join(", ", LoadedLibTorchFiles())}); " +
                                                    $"the one chosen was {LibTorch.Directory} ({LibTorch.Source})");
            NnPack.Enabled = false; // unusable here and logs a warning per convolution; see NnPack.cs
            NativeAllocator.KeepFreedMemory(); // 2-3× faster CPU forwards; see NativeAllocator.cs
            loaded = true;
        }
    }

    /// <summary>The libtorch_cpu.so file(s) this process has mapped: what is really in use (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<string> LoadedLibTorchFiles() => NativeLoader.MappedFiles("libtorch_cpu.so");

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

    /// <summary>The version of the libtorch in use (read around its folder, see <see cref="LibTorchVersionReader"/>);
    /// the version TorchSharp was built for when libtorch was found by TorchSharp itself or cannot be read.</summary>
    public static string LibTorchVersion()
    {
        EnsureLoaded();
        var found = LibTorch is null ? null : LibTorchVersionReader.Read(LibTorch.Directory);
        return found?.Version ?? $"{LibTorchVersionReader.BuiltFor} (TorchSharp's build; not read from the library)";
    }
}