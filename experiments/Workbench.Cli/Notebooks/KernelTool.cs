using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>
/// The dotnet-interactive kernel as the repository pins it: the local tool manifest
/// (.config/dotnet-tools.json) names the version, `dotnet tool restore` installs it into the NuGet
/// cache, `dotnet tool run dotnet-interactive` starts it. Nothing is installed by hand.
/// </summary>
public static class KernelTool
{
    public const string ToolId = "microsoft.dotnet-interactive";

    /// <summary>The folder holding .config/dotnet-tools.json at or above <paramref name="start"/>.</summary>
    public static string ManifestRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir != null; dir = dir.Parent)
            if (File.Exists(ManifestPath(dir.FullName))) return dir.FullName;
        throw new FileNotFoundException($"no .config/dotnet-tools.json at or above {start}: the kernel is pinned there (see notebooks/README.md)");
    }

    /// <summary>The kernel version the manifest pins.</summary>
    public static string PinnedVersion(string root) =>
        (string?)JsonNode.Parse(File.ReadAllText(ManifestPath(root)))?["tools"]?[ToolId]?["version"]
        ?? throw new InvalidDataException($"{ManifestPath(root)} does not pin {ToolId}");

    /// <summary>`dotnet tool restore` in <paramref name="root"/>; throws with its output when it fails (e.g. no package source serves the tool).</summary>
    public static void Restore(string root)
    {
        var psi = new ProcessStartInfo("dotnet", "tool restore") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new KernelUnavailableException($"`dotnet tool restore` in {root} failed (exit {p.ExitCode}): {stdout}{stderr.Result}".Trim());
    }

    static string ManifestPath(string root) => Path.Combine(root, ".config", "dotnet-tools.json");
}

/// <summary>The kernel could not be installed or started (as opposed to a notebook cell failing in it).</summary>
public sealed class KernelUnavailableException(string message) : Exception(message);
