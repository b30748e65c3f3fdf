using Plotly.NET;
using Workbench.Engine;

namespace Workbench.Reporting;

/// <summary>
/// plotly.js as Plotly.NET ships it (an embedded resource, the same code its inlined HTML carries), written
/// once per folder as <see cref="FileName"/>: every figure in the folder loads that one copy (3.5 MB)
/// instead of inlining its own.
/// </summary>
public static class PlotlyScript
{
    /// <summary>plotly-&lt;version&gt;.min.js, the version Plotly.NET renders with (a new Plotly.NET writes a new file
    /// beside the old one, so figures written before keep theirs).</summary>
    public static string FileName => $"plotly-{Globals.PLOTLYJS_VERSION}.min.js";

    /// <summary>Writes the script into <paramref name="folder"/> unless a complete copy is there; returns its path.</summary>
    public static string EnsureIn(string folder)
    {
        var path = Path.Combine(folder, FileName);
        using var source = Open();
        // A copy of another length is not this version's (or was cut short by hand): replace it.
        if (File.Exists(path) && new FileInfo(path).Length == source.Length) return path;
        AtomicFile.WriteAll(path, source);
        return path;
    }

    /// <summary>The script's bytes as Plotly.NET embeds them.</summary>
    public static Stream Open()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = "Plotly.NET." + FileName;
        return assembly.GetManifestResourceStream(name)
               ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} embeds no {name} " +
                                                      $"(it has: {string.Join(", ", assembly.GetManifestResourceNames())}); FigureFile cannot write the shared plotly.js");
    }
}
