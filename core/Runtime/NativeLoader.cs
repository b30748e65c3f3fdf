using System.Runtime.InteropServices;
using TorchSharp;

namespace Workbench.Runtime;

/// <summary>
/// Loads libtorch from one folder and TorchSharp's shim from another, so that the process ends up with
/// exactly one libtorch. Linux only (the glibc loader rules below).
/// </summary>
/// <remarks>
/// TorchSharp's static constructor loads "torch_cpu" by name, searching the app's native folders (from its
/// deps.json) and TorchSharp's own folder before a plain dlopen. A plain dlopen finds a library already
/// loaded by its soname, but an absolute path is matched by file: if one of those folders holds another
/// libtorch_cpu.so (a build output's package copy), it is loaded as well and aborts the process
/// ("Tried to register multiple backend fallbacks"). So a libtorch from elsewhere is refused when such a
/// copy is in the way; a bundle (no libtorch inside) and F# scripts have none.
/// </remarks>
static class NativeLoader
{
    // Order matters: libtorch first, then the shim that links against it (its dependencies then
    // resolve by soname to the copies already loaded). libtorch_global_deps goes first, as in PyTorch's
    // own import: in a CUDA PyTorch it pulls in the CUDA libraries through its RUNPATH. libtorch_cuda is
    // absent from CPU builds.
    static readonly string[] LibTorchFiles = { "libtorch_global_deps.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" };
    const string Shim = "libLibTorchSharp.so";

    public static void Load(LibTorchLocation libtorch, string shimDirectory)
    {
        var inTheWay = CopiesTorchSharpWouldFind().Where(f => !SameFolder(Path.GetDirectoryName(f)!, libtorch.Directory)).ToList();
        if (inTheWay.Count > 0)
            throw new ArgumentException(
                $"libtorch from {libtorch.Source} ({libtorch.Directory}) cannot be used by this build: TorchSharp would also load " +
                $"{string.Join(", ", inTheWay)} (two libtorch copies abort the process). Use a build without libtorch: the GPU bundle " +
                "(experiments/gpu-bundle.sh) or `dotnet publish experiments/Workbench.Cli -c Release -p:LibTorchNatives=exclude`");
        foreach (var lib in LibTorchFiles)
        {
            var path = Path.Combine(libtorch.Directory, lib);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException($"libtorch from {libtorch.Source}: {path} did not load ({e.Message}). " +
                    "A PyTorch built for a newer glibc or CUDA than this machine has, or a missing dependency (ldd shows which)?", e);
            }
        }
        NativeLibrary.Load(Path.Combine(shimDirectory, Shim));
    }

    /// <summary>libtorch_cpu.so files in the folders TorchSharp's by-name load searches before a plain dlopen:
    /// the app's native search folders and TorchSharp's own folder.</summary>
    static IEnumerable<string> CopiesTorchSharpWouldFind()
    {
        var folders = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Path.GetDirectoryName(typeof(torch).Assembly.Location) is { Length: > 0 } torchSharpDir) folders.Add(torchSharpDir);
        return folders.Select(f => Path.Combine(f, "libtorch_cpu.so")).Where(File.Exists).Select(Path.GetFullPath).Distinct();
    }

    /// <summary>The files of every mapped copy of <paramref name="fileName"/> in this process (Linux /proc/self/maps).</summary>
    public static IReadOnlyList<string> MappedFiles(string fileName)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var i and >= 0 ? line[i..].Trim() : "")
                .Where(path => Path.GetFileName(path) == fileName)
                .Distinct().ToList();
        }
        catch (IOException) { return Array.Empty<string>(); }
    }

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
