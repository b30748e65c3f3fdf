using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Workbench.Reporting;

namespace Workbench.Cli.Notebooks;

/// <summary>
/// Turns a cell's final value into a mime bundle: text/plain always (F# "%A" formatting, Deedle's
/// own layout for frames); text/html for Deedle frames/series (a table) and Plotly.NET charts;
/// image/png for <see cref="PngImage"/>. One instance per notebook run: plotly.js is inlined with
/// the first chart only (later charts on the same page reuse it), so the notebook renders offline
/// without carrying 3.5 MB per chart.
/// </summary>
public sealed class CellOutputFormatter
{
    public const int MaxHtmlRows = 200;
    bool plotlyInlined;

    public IReadOnlyDictionary<string, string> Format(object value)
    {
        var bundle = new Dictionary<string, string>();
        var type = value.GetType();
        if (value is PngImage png)
        {
            bundle["image/png"] = Convert.ToBase64String(png.Bytes);
            bundle["text/plain"] = png.ToString();
        }
        else if (value is GenericChart chart)
        {
            bundle["text/html"] = ChartHtml(chart);
            bundle["text/plain"] = "Plotly.NET chart";
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Frame<,>))
        {
            bundle["text/html"] = (string)Invoke(nameof(FrameHtml), type, value);
            bundle["text/plain"] = (string)Invoke(nameof(FrameText), type, value);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Series<,>))
        {
            bundle["text/html"] = (string)Invoke(nameof(SeriesHtml), type, value);
            bundle["text/plain"] = (string)Invoke(nameof(SeriesText), type, value);
        }
        else
        {
            bundle["text/plain"] = PlainText(value);
        }
        return bundle;
    }

    /// <summary>F#'s structured "%A" layout (what FSI and .NET Interactive show for plain values).</summary>
    public static string PlainText(object value)
    {
        if (value is string s) return s;
        var format = new PrintfFormat<FSharpFunc<object, string>, Unit, string, string>("%A");
        return ExtraTopLevelOperators.PrintFormatToString(format).Invoke(value);
    }

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

    /// <summary>plotly.min.js as Plotly.NET embeds it (the version its chart code targets).</summary>
    static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException("Plotly.NET carries no embedded plotly.min.js");
        using var reader = new StreamReader(asm.GetManifestResourceStream(name)!);
        // "</script" inside the library would end the inline script element early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    static object Invoke(string method, Type closed, object value) =>
        typeof(CellOutputFormatter).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(closed.GetGenericArguments()).Invoke(null, new[] { value })!;

    static string FrameText<TRow, TCol>(Frame<TRow, TCol> frame) where TRow : notnull where TCol : notnull => frame.Format();

    static string SeriesText<TKey, TValue>(Series<TKey, TValue> series) where TKey : notnull => series.Format();

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
