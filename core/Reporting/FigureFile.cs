using Microsoft.FSharp.Core;
using Plotly.NET;
using Workbench.Engine;

namespace Workbench.Reporting;

/// <summary>Where a figure went: its HTML, the shared plotly.js the HTML loads, and the PNG (null when no
/// headless browser was found, with the reason in <see cref="PngSkipped"/>).</summary>
public sealed record FigureOutput(string Html, string Script, string? Png, string? PngSkipped);

/// <summary>
/// Writes a Plotly.NET chart as an HTML file that loads plotly.js from one shared copy (<see cref="PlotlyScript"/>)
/// by relative path, so it opens offline while the folders stay together (inlined, the script made every figure
/// 3.6 MB), and, when Chromium is installed, as a PNG rendered headless from that HTML file, where the relative
/// script resolves as in a browser (Plotly.NET.ImageExport is not on our package mirror). A missing browser
/// never fails a run: the HTML is written and the skip is reported.
/// </summary>
public static class FigureFile
{
    /// <param name="scriptFolder">where the shared plotly.js lives (written there once): the figure's own folder by
    /// default; an ancestor such as results/ lets every figure below it share one copy (most experiment folders
    /// hold a single figure, so a copy per folder would save nothing)</param>
    public static FigureOutput Write(GenericChart chart, string pathWithoutExtension, int width = 900, int height = 520, string? scriptFolder = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!;
        Directory.CreateDirectory(folder);
        var scriptDir = Path.GetFullPath(scriptFolder ?? folder);
        if (!Directory.Exists(scriptDir)) throw new DirectoryNotFoundException($"figure {pathWithoutExtension}: script folder {scriptDir} does not exist");
        var script = PlotlyScript.EnsureIn(scriptDir);
        var html = pathWithoutExtension + ".html";
        AtomicFile.WriteAllText(html, Html(chart, width, height, RelativeUrl(folder, script)));
        var png = pathWithoutExtension + ".png";
        var (ok, why) = HeadlessChromium.Screenshot(html, png, width + 16, height + 16);
        return new FigureOutput(html, script, ok ? png : null, ok ? null : why);
    }

    /// <summary>The chart as one HTML document (a few kB) whose plotly.js is loaded from <paramref name="scriptSrc"/>,
    /// a URL relative to the document (by default the shared script in the same folder).</summary>
    public static string Html(GenericChart chart, int width, int height, string? scriptSrc = null)
    {
        var reference = PlotlyJSReference.NewCDN(scriptSrc ?? PlotlyScript.FileName);
        var shared = DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(reference));
        var sized = Chart.withSize(FSharpOption<int>.Some(width), FSharpOption<int>.Some(height)).Invoke(chart);
        return DeclareUtf8(GenericChart.toEmbeddedHTML(Chart.withDisplayOptions(shared).Invoke(sized)));
    }

    /// <summary>The URL of <paramref name="file"/> relative to <paramref name="folder"/> ("../../plotly-….min.js").</summary>
    public static string RelativeUrl(string folder, string file) =>
        string.Join('/', Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));

    /// <summary>
    /// Puts <c>&lt;meta charset="utf-8"&gt;</c> first in the head. Browsers only look for it in the first 1024
    /// bytes; with plotly.js inlined, Plotly.NET's own came megabytes in, so Chromium read the file as
    /// windows-1252 and the zero-width spaces plotly.js puts in titles showed as "â€‹". Kept so that no
    /// head content (a long title, an inlined script) can push the declaration out of reach again.
    /// </summary>
    public static string DeclareUtf8(string html)
    {
        int head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 || head > 512 ? "<meta charset=\"utf-8\">" + html : html.Insert(head + "<head>".Length, "<meta charset=\"utf-8\">");
    }
}
