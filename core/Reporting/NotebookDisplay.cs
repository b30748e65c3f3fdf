using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;
using Plotly.NET;

namespace Workbench.Reporting;

/// <summary>
/// What a notebook shows for the workbench's values, as strings a .NET Interactive kernel formatter writes
/// (notebooks/Setup.fsx registers them): an HTML table for Deedle frames and series, the chart with
/// plotly.js for Plotly.NET charts, base64 PNG for <see cref="PngImage"/>. One instance per kernel session:
/// plotly.js (3.5 MB) is inlined with the first chart only, later charts on the same page reuse it, so a
/// saved notebook renders offline.
/// </summary>
public sealed class NotebookDisplay
{
    public const int MaxHtmlRows = 200;
    bool plotlyInlined;

    /// <summary>The HTML for a chart, frame or series; throws for any other value (the caller registered the wrong type).</summary>
    public string Html(object value)
    {
        var type = value.GetType();
        if (value is GenericChart chart) return ChartHtml(chart);
        if (IsGeneric(type, typeof(Frame<,>))) return (string)Invoke(nameof(FrameHtml), type, value);
        if (IsGeneric(type, typeof(Series<,>))) return (string)Invoke(nameof(SeriesHtml), type, value);
        throw new ArgumentException($"NotebookDisplay has no HTML for {type}");
    }

    /// <summary>The image/png payload of a notebook output: the PNG's bytes in base64.</summary>
    public static string PngBase64(PngImage png) => Convert.ToBase64String(png.Bytes);

    static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    string ChartHtml(GenericChart chart)
    {
        var html = new StringBuilder();
        if (!plotlyInlined)
        {
            html.Append("<script type=\"text/javascript\">").Append(PlotlyJs.Value).Append("</script>\n");
            plotlyInlined = true;
        }
        html.Append(GenericChart.toChartHTML(chart));
        return html.ToString();
    }

    static readonly Lazy<string> PlotlyJs = new(() =>
    {
        using var reader = new StreamReader(PlotlyScript.Open());
        // "</script" inside the library would end the inline script element early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    static object Invoke(string method, Type closed, object value) =>
        typeof(NotebookDisplay).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(closed.GetGenericArguments()).Invoke(null, new[] { value })!;

    static string FrameHtml<TRow, TCol>(Frame<TRow, TCol> frame) where TRow : notnull where TCol : notnull
    {
        var cols = frame.ColumnKeys.ToList();
        var html = new StringBuilder("<table>\n<thead><tr><th></th>");
        foreach (var c in cols) html.Append("<th>").Append(Escape(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        int shown = 0;
        foreach (var row in frame.Rows.Observations)
        {
            if (shown++ == MaxHtmlRows) break;
            html.Append("<tr><th>").Append(Escape(row.Key)).Append("</th>");
            foreach (var c in cols)
            {
                var v = row.Value.TryGet(c);
                html.Append("<td>").Append(v.HasValue ? Escape(v.Value) : "").Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return Footer(html, frame.RowCount, cols.Count);
    }

    static string SeriesHtml<TKey, TValue>(Series<TKey, TValue> series) where TKey : notnull
    {
        var html = new StringBuilder("<table>\n<tbody>\n");
        int shown = 0;
        foreach (var kv in series.Observations)
        {
            if (shown++ == MaxHtmlRows) break;
            html.Append("<tr><th>").Append(Escape(kv.Key)).Append("</th><td>").Append(Escape(kv.Value)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        return Footer(html, series.KeyCount, 1);
    }

    static string Footer(StringBuilder html, int rows, int cols)
    {
        var more = rows > MaxHtmlRows ? $", first {MaxHtmlRows} shown" : "";
        return html.Append($"<p>{rows} rows × {cols} columns{more}</p>\n").ToString();
    }

    static string Escape(object? v) => WebUtility.HtmlEncode(v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    });
}
