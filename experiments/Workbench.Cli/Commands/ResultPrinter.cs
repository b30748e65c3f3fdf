using Spectre.Console;
using Workbench.Engine;
using Workbench.Metrics;

namespace Workbench.Cli.Commands;

/// <summary>Prints a run's metrics table (per category, mean) and where the files are.</summary>
public static class ResultPrinter
{
    public static void Print(RunResult r)
    {
        var t = new Table().AddColumns("category", "image AUROC", "pixel AUROC", "AUPRO", "image AP", "pixel AP");
        string F(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("F1");
        void Row(string name, MetricSet m) => t.AddRow(Markup.Escape(name), F(m.ImageAuroc), F(m.PixelAuroc), F(m.Aupro), F(m.ImageAp), F(m.PixelAp));
        foreach (var (cat, m) in r.Metrics.PerCategory.OrderBy(kv => kv.Key)) Row(cat, m);
        Row("mean", r.Metrics.Mean);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Method)}[/] — teacher: {Markup.Escape(r.Teacher)}");
        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine($"run folder: {Markup.Escape(r.RunDir)}");
    }
}
