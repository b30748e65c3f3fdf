using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>How a notebook run ended. <see cref="FailedCell"/> is the 1-based position in the notebook (markdown cells count).</summary>
public sealed record NotebookRunResult(int CodeCellsRun, int? FailedCell, string? Error, TimeSpan Elapsed)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>
/// Executes a notebook's F# code cells in order in one <see cref="FsiCellSession"/>, with the
/// notebook's folder as the working directory, and replaces each cell's outputs with what it
/// printed (stream outputs) and its final value (execute_result). Stops at the first failing cell:
/// that cell gets an error output, later cells are left without outputs.
/// </summary>
public sealed class NotebookRunner(TextWriter log)
{
    static readonly string[] FSharpNames = { "fsharp", "f#" };

    public NotebookRunResult Run(IpynbDocument doc, string notebookPath, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var full = Path.GetFullPath(notebookPath);
        var dir = Path.GetDirectoryName(full)!;
        var formatter = new CellOutputFormatter();
        var (stdout, stderr, cwd) = (Console.Out, Console.Error, Directory.GetCurrentDirectory());
        var fsiMessages = new StringWriter();
        int executed = 0;
        int? failed = null;
        string? error = null;
        try
        {
            Directory.SetCurrentDirectory(dir);
            using var session = new FsiCellSession(Path.ChangeExtension(full, ".fsx"), fsiMessages, fsiMessages);
            for (int i = 0; i < doc.Cells.Count; i++)
            {
                var cell = doc.Cells[i];
                if (!cell.IsCode) continue;
                if (failed != null) { cell.SetExecuted(null, Array.Empty<JsonObject>()); continue; }
                int number = i + 1;
                var language = cell.Language ?? doc.Language;
                if (!FSharpNames.Contains(language.ToLowerInvariant()))
                {
                    (failed, error) = (number, $"cell {number}: language '{language}' is not supported (F# only)");
                    cell.SetExecuted(null, new[] { CellOutputs.Error("UnsupportedLanguage", error, Array.Empty<string>()) });
                    continue;
                }
                var cellClock = Stopwatch.StartNew();
                var captured = new CapturedOutput();
                CellEvaluation result;
                Console.SetOut(captured.Stdout);
                Console.SetError(captured.Stderr);
                try { result = session.Evaluate(cell.Source, cancel); }
                finally { Console.SetOut(stdout); Console.SetError(stderr); }
                executed++;

                var outputs = new List<JsonObject>();
                if (result.Warnings.Count > 0) outputs.Add(CellOutputs.Stream("stderr", string.Join("\n", result.Warnings) + "\n"));
                outputs.AddRange(captured.Chunks.Select(c => CellOutputs.Stream(c.Stream, c.Text)));
                if (result.Error is { } e)
                {
                    (failed, error) = (number, $"cell {number}: {e.Kind}: {e.Message}");
                    outputs.Add(CellOutputs.Error(e.Kind, e.Message, e.Details));
                }
                else if (result.Value is { } value)
                {
                    outputs.Add(CellOutputs.Result(executed, FormatSafely(formatter, value)));
                }
                cell.SetExecuted(executed, outputs);
                log.WriteLine($"cell {number}: {(failed == number ? "FAILED" : "ok")} ({cellClock.Elapsed.TotalSeconds:F1} s)");
            }
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Directory.SetCurrentDirectory(cwd);
        }
        return new NotebookRunResult(executed, failed, error, clock.Elapsed);
    }

    /// <summary>A value whose rich display fails still shows as text rather than failing the cell.</summary>
    static IReadOnlyDictionary<string, string> FormatSafely(CellOutputFormatter formatter, object value)
    {
        try { return formatter.Format(value); }
        catch (Exception e) { return new Dictionary<string, string> { ["text/plain"] = $"{value} (display failed: {e.Message})" }; }
    }
}
