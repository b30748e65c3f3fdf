using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>How a notebook run ended. <see cref="FailedCell"/> is the 1-based position in the notebook (markdown cells count);
/// <see cref="Error"/> names the notebook, the cell and the kernel's error.</summary>
public sealed record NotebookRunResult(int CodeCellsRun, int? FailedCell, string? Error, TimeSpan Elapsed)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>
/// Executes a notebook's F# code cells in order in a fresh dotnet-interactive kernel (the version
/// .config/dotnet-tools.json pins, restored first), with the notebook's folder as the kernel's working
/// directory, and replaces each cell's outputs with what the kernel produced. Stops at the first
/// failing cell: that cell gets an error output, later cells are left without outputs.
/// </summary>
public sealed class NotebookRunner(TextWriter log)
{
    static readonly string[] FSharpNames = { "fsharp", "f#" };

    /// <summary>Notebook metadata key naming the kernel and version that produced the outputs.</summary>
    public const string ExecutedByKey = "workbench_executed_by";

    /// <param name="environment">added to the kernel's environment (e.g. WORKBENCH_NOTEBOOK_SMOKE=1)</param>
    public NotebookRunResult Run(IpynbDocument doc, string notebookPath, IReadOnlyDictionary<string, string>? environment = null,
                                 CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var full = Path.GetFullPath(notebookPath);
        var name = Path.GetFileName(full);
        var root = KernelTool.ManifestRoot(Path.GetDirectoryName(full)!);
        KernelTool.Restore(root);
        int executed = 0;
        int? failed = null;
        string? error = null;
        var kernelName = $"dotnet-interactive {KernelTool.PinnedVersion(root)}";
        using var kernel = DotnetInteractiveKernel.Start(root, Path.GetDirectoryName(full)!, environment);
        log.WriteLine($"{name}: {kernelName} started ({clock.Elapsed.TotalSeconds:F1} s)");
        // Which kernel wrote the outputs: the committed notebooks' test compares it with the pinned one.
        doc.Metadata[ExecutedByKey] = kernelName;
        for (int i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            if (!cell.IsCode) continue;
            if (failed != null) { cell.SetExecuted(null, Array.Empty<JsonObject>()); continue; }
            int number = i + 1;
            var language = cell.Language ?? doc.Language;
            if (!FSharpNames.Contains(language.ToLowerInvariant()))
            {
                (failed, error) = (number, $"{name}: cell {number}: language '{language}' is not supported (F# only)");
                cell.SetExecuted(null, new[] { CellOutputs.Error("UnsupportedLanguage", error, Array.Empty<string>()) });
                continue;
            }
            var cellClock = Stopwatch.StartNew();
            IReadOnlyList<KernelEvent> events;
            try { events = kernel.Submit(cell.Source, cancel); }
            catch (OperationCanceledException)
            {
                // A cell that never finishes (or a run past the caller's time limit) fails, named, instead of hanging.
                (failed, error) = (number, $"{name}: cell {number}: cancelled after {cellClock.Elapsed.TotalSeconds:F0} s (run time limit reached)");
                cell.SetExecuted(null, new[] { CellOutputs.Error("Cancelled", error, Array.Empty<string>()) });
                continue;
            }
            var result = KernelOutputs.From(events, ++executed);
            if (result.Failed) (failed, error) = (number, $"{name}: cell {number}: {result.ErrorName}: {result.ErrorMessage}");
            cell.SetExecuted(executed, result.Outputs);
            log.WriteLine($"cell {number}: {(result.Failed ? "FAILED" : "ok")} ({cellClock.Elapsed.TotalSeconds:F1} s)");
        }
        return new NotebookRunResult(executed, failed, error, clock.Elapsed);
    }
}
