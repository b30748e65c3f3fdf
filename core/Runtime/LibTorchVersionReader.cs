using System.Text.RegularExpressions;

namespace Workbench.Runtime;

/// <summary>A libtorch version and the file or folder name it was read from.</summary>
public sealed record LibTorchVersionInfo(string Version, string Evidence)
{
    /// <summary>"2.11" from "2.11.0+cu130".</summary>
    public string MajorMinor => LibTorchVersionReader.MajorMinor(Version);
}

/// <summary>
/// Reads which libtorch a folder holds. The libraries carry no version string, so it comes from what
/// sits around them: an installed PyTorch's torch/version.py (torch/lib/..), a libtorch archive's
/// build-version, a NuGet package folder (libtorch-…/&lt;version&gt;/runtimes/&lt;rid&gt;/native), or the
/// libtorch.version marker the build writes next to the package's copy (Directory.Build.targets).
/// </summary>
public static partial class LibTorchVersionReader
{
    /// <summary>Name of the marker the build writes next to the package's libtorch.</summary>
    public const string MarkerFile = "libtorch.version";

    [GeneratedRegex(@"^__version__\s*(?::\s*\w+\s*)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^cuda\s*(?::\s*[\w\[\]]+\s*)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex CudaLine();

    /// <summary>The version of the libtorch in <paramref name="dir"/>, or null when nothing around it says.</summary>
    public static LibTorchVersionInfo? Read(string dir)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        var parent = Path.GetDirectoryName(full);
        if (parent != null)
        {
            var versionPy = Path.Combine(parent, "version.py");
            if (File.Exists(versionPy))
            {
                var text = File.ReadAllText(versionPy);
                var v = VersionLine().Match(text);
                if (v.Success)
                {
                    var cuda = CudaLine().Match(text);
                    var cudaNote = cuda.Success ? $", CUDA {cuda.Groups[1].Value}" : "";
                    return new LibTorchVersionInfo(v.Groups[1].Value, $"{versionPy}{cudaNote}");
                }
            }
            var buildVersion = Path.Combine(parent, "build-version");
            if (File.Exists(buildVersion) && File.ReadAllText(buildVersion).Trim() is { Length: > 0 } bv)
                return new LibTorchVersionInfo(bv, buildVersion);
        }
        var marker = Path.Combine(full, MarkerFile);
        if (File.Exists(marker) && File.ReadAllText(marker).Trim() is { Length: > 0 } m)
            return new LibTorchVersionInfo(m.Split(' ', 2)[0], marker);
        // NuGet: <packages>/<libtorch-…>/<version>/runtimes/<rid>/native
        var parts = full.Split(Path.DirectorySeparatorChar);
        if (parts.Length >= 5 && parts[^1] == "native" && parts[^3] == "runtimes"
            && parts[^5].StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) && char.IsDigit(parts[^4].FirstOrDefault()))
            return new LibTorchVersionInfo(parts[^4], $"NuGet package {parts[^5]} {parts[^4]}");
        return null;
    }

    /// <summary>The libtorch TorchSharp was built for (the version of its libtorch package, e.g. 2.10.0).</summary>
    public static string BuiltFor
    {
        get
        {
            var v = TorchSharp.torch.__version__;
            var p = v.Split('.');
            return p.Length > 3 && p[3] == "0" ? string.Join('.', p.Take(3)) : v;
        }
    }

    /// <summary>"2.10" from "2.10.0", "2.11.0+cu130", "2.10.0.0".</summary>
    public static string MajorMinor(string version)
    {
        var core = version.Split('+', '-')[0].Split('.');
        return core.Length >= 2 ? $"{core[0]}.{core[1]}" : core[0];
    }

    /// <summary>A warning when the version found is not the one TorchSharp was built for, or is unknown; null when they agree.</summary>
    public static string? MismatchWarning(LibTorchVersionInfo? found, string builtFor)
    {
        if (found == null)
            return $"the libtorch version could not be read (no version.py, build-version or {MarkerFile} next to it); TorchSharp {TorchRuntime.TorchSharpVersion} is built for libtorch {MajorMinor(builtFor)}";
        if (found.MajorMinor != MajorMinor(builtFor))
            return $"libtorch {found.Version} is not the version TorchSharp {TorchRuntime.TorchSharpVersion} is built for ({MajorMinor(builtFor)}): " +
                   "it may work (PyTorch 2.11 loaded and ran on CUDA, issue 17), but an operator whose signature changed can fail; check results against a CPU run";
        return null;
    }
}
