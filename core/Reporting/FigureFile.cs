using Microsoft.FSharp.Core;
using Plotly.NET;
using Workbench.Engine;

namespace Workbench.Reporting;

/// <summary>Where a figure went; <see cref="Png"/> is null when no headless browser was found, with the reason.</summary>
public sealed record FigureOutput(string Html, string? Png, string? PngSkipped);

/// <summary>
/// Writes a Plotly.NET chart as a self-contained HTML file (plotly.js inlined, so it opens offline)
/// and, when Chromium is installed, as a PNG rendered headless from that HTML (Plotly.NET.ImageExport
/// is not on our package mirror). A missing browser never fails a run: the HTML is written and the
/// skip is reported.
/// </summary>
public static class FigureFile
{
    public static FigureOutput Write(GenericChart chart, string pathWithoutExtension, int width = 900, int height = 520)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);
        var html = pathWithoutExtension + ".html";
        AtomicFile.WriteAllText(html, SelfContainedHtml(chart, width, height));
        var png = pathWithoutExtension + ".png";
        var (ok, why) = HeadlessChromium.Screenshot(html, png, width + 16, height + 16);
        return new FigureOutput(html, ok ? png : null, ok ? null : why);
    }

    /// <summary>The chart as one HTML document with plotly.js inlined (~3.6 MB).</summary>
    public static string SelfContainedHtml(GenericChart chart, int width, int height)
    {
        var full = DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        var sized = Chart.withSize(FSharpOption<int>.Some(width), FSharpOption<int>.Some(height)).Invoke(chart);
        var html = GenericChart.toEmbeddedHTML(Chart.withDisplayOptions(full).Invoke(sized));
        // Plotly.NET puts its <meta charset> after the 3.6 MB script; browsers only look at the first
        // 1024 bytes, so Chromium guessed windows-1252 and drew plotly's zero-width spaces as "â€‹".
        int head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 ? "<meta charset=\"utf-8\">" + html : html.Insert(head + "<head>".Length, "<meta charset=\"utf-8\">");
    }
}
