using System.Text.Json.Nodes;
using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>The runner in the real kernel (dotnet-interactive, as pinned): outputs, rich displays, and failures named by notebook and cell.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookRunnerTests
{
    static (NotebookRunResult Result, IpynbDocument Doc) Run(params string[] cells) => RunWithin(TimeSpan.FromMinutes(10), cells);

    static (NotebookRunResult Result, IpynbDocument Doc) RunWithin(TimeSpan limit, params string[] cells)
    {
        KernelRequirement.SkipUnlessRestored();
        var doc = NotebookFiles.Make(cells);
        using var cancel = new CancellationTokenSource(limit);
        // A notebook path inside the notebooks folder, so relative paths resolve as for the real ones.
        var result = new NotebookRunner(TextWriter.Null).Run(doc, Path.Combine(NotebookFiles.RepoRoot, "notebooks", "test.ipynb"), null, cancel.Token);
        return (result, doc);
    }

    static JsonObject Output(IpynbDocument doc, int cell, string type) =>
        doc.Cells[cell].Outputs.Select(o => (JsonObject)o!).Single(o => (string?)o["output_type"] == type);

    static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)node ?? "";

    [SkippableFact]
    public void SetupMakesTheWorkbenchsValuesShowAsTablesChartsAndImages()
    {
        var (result, doc) = Run(
            "md:# title",
            "#load \"Setup.fsx\"\nopen Deedle\nopen Plotly.NET\nopen Workbench.Reporting",
            "printfn \"hello %d\" 3\nlet x = 40 + 2\nx",
            "let y = x + 1",
            "type Row = { Method: string; Auroc: float }\nFrame.ofRecords [ { Method = \"fd\"; Auroc = 0.9 }; { Method = \"rd\"; Auroc = 0.8 } ]",
            "Chart.Point([ 1.0; 2.0 ], [ 3.0; 4.0 ])",
            "PngImage.FromRaster(Workbench.Imaging.RasterImage(2, 2, 3, Array.zeroCreate 12))",
            "let t = TorchSharp.torch.ones(2L, 3L)\nt.sum().item<float32>() |> display\nt.shape.Length");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(7, result.CodeCellsRun);
        Assert.Equal("hello 3\n", Text(Output(doc, 2, "stream")["text"]));
        var value = Output(doc, 2, "execute_result");
        Assert.Contains("<pre>42</pre>", Text(value["data"]!["text/html"]));
        Assert.Equal(2, (int?)value["execution_count"]);
        Assert.Empty(doc.Cells[3].Outputs); // a binding shows nothing
        var table = Text(Output(doc, 4, "execute_result")["data"]!["text/html"]);
        Assert.Contains("<th>Auroc</th>", table);
        Assert.Contains("<td>rd</td>", table);
        var chart = Text(Output(doc, 5, "execute_result")["data"]!["text/html"]);
        Assert.Contains("plotly.js v", chart);
        Assert.Contains("Plotly.newPlot", chart);
        var png = Convert.FromBase64String((string)Output(doc, 6, "execute_result")["data"]!["image/png"]!);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("6", Text(Output(doc, 7, "display_data")["data"]!["text/html"]));
    }

    [SkippableFact]
    public void RuntimeErrorStopsAtTheCellAndNamesNotebookAndCell()
    {
        var (result, doc) = Run("md:intro", "let a = 1", "printfn \"before\"\nfailwith \"boom\" |> ignore", "printfn \"never\"");
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCell);
        Assert.StartsWith("test.ipynb: cell 3: System.Exception: boom", result.Error);
        Assert.Equal("before\n", Text(Output(doc, 2, "stream")["text"]));
        Assert.Equal("boom", (string?)Output(doc, 2, "error")["evalue"]);
        Assert.Empty(doc.Cells[3].Outputs);
        Assert.Null((int?)JsonNode.Parse(doc.ToJson())!["cells"]![3]!["execution_count"]);
    }

    [SkippableFact]
    public void CompileErrorNamesCellAndCompilerMessage()
    {
        var (result, _) = Run("let a = 1", "let b: string = a");
        Assert.Equal(2, result.FailedCell);
        Assert.StartsWith("test.ipynb: cell 2: CompilationError", result.Error);
        Assert.Contains("expected to have type", result.Error);
    }

    [SkippableFact]
    public void ACellPastTheTimeLimitFailsNamedInsteadOfHanging()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (result, doc) = RunWithin(TimeSpan.FromSeconds(5), "md:intro", "System.Threading.Thread.Sleep 600000", "1");
        Assert.Equal(2, result.FailedCell);
        Assert.StartsWith("test.ipynb: cell 2: cancelled", result.Error);
        Assert.Empty(doc.Cells[2].Outputs);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
    }
}
