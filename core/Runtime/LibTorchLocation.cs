namespace Workbench.Runtime;

/// <summary>
/// The folder libtorch (libtorch_cpu.so, libtorch_cuda.so, libtorch.so, libc10*.so) is loaded from,
/// and what chose it. TorchSharp's own shim (libLibTorchSharp.so) always comes from the build output
/// or bundle; only libtorch can live elsewhere, e.g. in an installed PyTorch (torch/lib) on a GPU
/// server that has no .NET.
/// </summary>
/// <param name="Directory">absolute path of the folder holding libtorch_cpu.so</param>
/// <param name="Source">what chose it, for `workbench info` and manifests</param>
public sealed record LibTorchLocation(string Directory, string Source)
{
    /// <summary>Environment variable naming the libtorch folder (or "python" / "package").</summary>
    public const string EnvironmentVariable = "WORKBENCH_LIBTORCH";
    public const string PackageSource = "the TorchSharp package's copy (build output)";
    const string LibTorchCpu = "libtorch_cpu.so";

    /// <summary>
    /// Resolves a request: a folder (or a torch / libtorch root whose lib/ holds libtorch), "python"
    /// (the installed PyTorch, found by importing it), "package" (the copy in the build output), or
    /// null/empty for the default: the package's copy when the build output has one, else an installed
    /// PyTorch (what a bundle without libtorch uses).
    /// </summary>
    /// <param name="request">the value given, or null</param>
    /// <param name="requestName">where the value came from ("--libtorch", "WORKBENCH_LIBTORCH"), named in errors</param>
    /// <param name="packageDirectory">the folder holding libLibTorchSharp.so (null when not found)</param>
    /// <param name="findPython">locates an installed PyTorch's lib folder; returns an error text on failure</param>
    /// <exception cref="ArgumentException">the request names no usable libtorch; the message names the request</exception>
    public static LibTorchLocation Resolve(string? request, string requestName, string? packageDirectory,
                                           Func<(string? Directory, string? Error)> findPython)
    {
        var r = request?.Trim();
        bool packageHasLibTorch = packageDirectory != null && File.Exists(Path.Combine(packageDirectory, LibTorchCpu));
        if (string.IsNullOrEmpty(r))
        {
            if (packageHasLibTorch) return new LibTorchLocation(Path.GetFullPath(packageDirectory!), PackageSource);
            var (dir, error) = findPython();
            if (dir == null)
                throw new ArgumentException(
                    $"no libtorch: the build output{(packageDirectory == null ? "" : $" ({packageDirectory})")} has none (a bundle without libtorch?) " +
                    $"and no installed PyTorch was found ({error}). Pass --libtorch DIR or set {EnvironmentVariable}=DIR " +
                    "(DIR = the folder holding libtorch_cpu.so, e.g. .../site-packages/torch/lib).");
            return new LibTorchLocation(Checked(dir, "the installed PyTorch"), $"installed PyTorch ({PythonTorch.Command})");
        }
        if (r.Equals("package", StringComparison.OrdinalIgnoreCase))
        {
            if (!packageHasLibTorch)
                throw new ArgumentException($"{requestName} package: the build output{(packageDirectory == null ? "" : $" ({packageDirectory})")} holds no {LibTorchCpu}; " +
                                            "give a folder or 'python' instead");
            return new LibTorchLocation(Path.GetFullPath(packageDirectory!), PackageSource);
        }
        if (r.Equals("python", StringComparison.OrdinalIgnoreCase))
        {
            var (dir, error) = findPython();
            if (dir == null) throw new ArgumentException($"{requestName} python: no installed PyTorch found ({error})");
            return new LibTorchLocation(Checked(dir, $"{requestName} python"), $"installed PyTorch ({PythonTorch.Command}), asked by {requestName}");
        }
        var full = Checked(r, requestName);
        var source = packageHasLibTorch && SameFolder(full, packageDirectory!) ? PackageSource + $", asked by {requestName}" : requestName;
        return new LibTorchLocation(full, source);
    }

    /// <summary>The folder holding libtorch_cpu.so: <paramref name="dir"/> itself or its lib/ (a torch or libtorch root).</summary>
    static string Checked(string dir, string requestName)
    {
        var full = Path.GetFullPath(dir);
        if (!System.IO.Directory.Exists(full)) throw new ArgumentException($"{requestName} {dir}: no such folder");
        if (File.Exists(Path.Combine(full, LibTorchCpu))) return full;
        var lib = Path.Combine(full, "lib");
        if (File.Exists(Path.Combine(lib, LibTorchCpu))) return lib;
        throw new ArgumentException($"{requestName} {dir}: no {LibTorchCpu} there nor in its lib/; give the folder holding libtorch*.so " +
                                    "(e.g. .../site-packages/torch/lib or libtorch/lib)");
    }

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
