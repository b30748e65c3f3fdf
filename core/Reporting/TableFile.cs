using System.Globalization;
using System.Text;
using Deedle;
using Workbench.Engine;

namespace Workbench.Reporting;

/// <summary>
/// Writes a Deedle frame as the three forms a report needs: Markdown (README / GitHub), LaTeX
/// (booktabs, for papers) and CSV (for anything else). Doubles are formatted with
/// <c>numberFormat</c>; integer row keys (the default index) are not printed, other keys are.
/// </summary>
public static class TableFile
{
    public static IReadOnlyList<string> Write<TRow>(Frame<TRow, string> frame, string pathWithoutExtension, string caption, string numberFormat = "F1")
    {
        var (header, rows) = Cells(frame, numberFormat);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);
        var md = pathWithoutExtension + ".md";
        var tex = pathWithoutExtension + ".tex";
        var csv = pathWithoutExtension + ".csv";
        AtomicFile.WriteAllText(md, Markdown(header, rows, caption));
        AtomicFile.WriteAllText(tex, Latex(header, rows, caption));
        AtomicFile.WriteAllText(csv, Csv(header, rows));
        return [md, tex, csv];
    }

    public static (List<string> Header, List<List<string>> Rows) Cells<TRow>(Frame<TRow, string> frame, string numberFormat = "F1")
    {
        bool showKey = typeof(TRow) != typeof(int);
        var cols = frame.ColumnKeys.ToList();
        var header = (showKey ? new[] { "" } : []).Concat(cols).ToList();
        var rows = new List<List<string>>();
        foreach (var key in frame.RowKeys)
        {
            var row = frame.Rows[key];
            var cells = showKey ? new List<string> { Format(key, numberFormat) } : new List<string>();
            foreach (var c in cols)
            {
                var v = row.TryGet(c);
                // Deedle stores NaN as a missing value; both print as a dash
                cells.Add(v.HasValue ? Format(v.Value, numberFormat) : "–");
            }
            rows.Add(cells);
        }
        return (header, rows);
    }

    public static string Markdown(List<string> header, List<List<string>> rows, string caption)
    {
        var sb = new StringBuilder();
        if (caption.Length > 0) sb.AppendLine(caption).AppendLine();
        sb.AppendLine("| " + string.Join(" | ", header.Select(EscapeMd)) + " |");
        sb.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in rows) sb.AppendLine("| " + string.Join(" | ", r.Select(EscapeMd)) + " |");
        return sb.ToString();
    }

    public static string Latex(List<string> header, List<List<string>> rows, string caption)
    {
        var sb = new StringBuilder();
        sb.AppendLine("\\begin{table}[t]\n\\centering");
        if (caption.Length > 0) sb.AppendLine($"\\caption{{{EscapeTex(caption)}}}");
        sb.AppendLine($"\\begin{{tabular}}{{l{new string('r', Math.Max(0, header.Count - 1))}}}");
        sb.AppendLine("\\toprule");
        sb.AppendLine(string.Join(" & ", header.Select(EscapeTex)) + " \\\\");
        sb.AppendLine("\\midrule");
        foreach (var r in rows) sb.AppendLine(string.Join(" & ", r.Select(EscapeTex)) + " \\\\");
        sb.AppendLine("\\bottomrule\n\\end{tabular}\n\\end{table}");
        return sb.ToString();
    }

    public static string Csv(List<string> header, List<List<string>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", header.Select(QuoteCsv)));
        foreach (var r in rows) sb.AppendLine(string.Join(",", r.Select(QuoteCsv)));
        return sb.ToString();
    }

    static string Format(object? v, string numberFormat) => v switch
    {
        null => "",
        double d when double.IsNaN(d) => "–",
        double d => d.ToString(numberFormat, CultureInfo.InvariantCulture),
        float f => ((double)f).ToString(numberFormat, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string EscapeMd(string s) => s.Replace("|", "\\|");

    static string EscapeTex(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s)
            sb.Append(ch switch
            {
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + ch,
                '~' => "\\textasciitilde{}", '^' => "\\textasciicircum{}", '\\' => "\\textbackslash{}",
                '±' => "$\\pm$", '−' => "$-$", 'Δ' => "$\\Delta$", '×' => "$\\times$", '→' => "$\\rightarrow$",
                _ => ch.ToString(),
            });
        return sb.ToString();
    }

    static string QuoteCsv(string s) => s.Contains(',') || s.Contains('"') || s.Contains('\n') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
