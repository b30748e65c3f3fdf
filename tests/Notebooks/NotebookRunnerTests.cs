using System.Text.Json.Nodes;
using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookRunnerTests
{
    static readonly string CoreBin = Path.Combine(NotebookFiles.RepoRoot, "core", "bin", "Debug", "net10.0");

    static (NotebookRunResult Result, IpynbDocument Doc) Run(params string[] cells)
    {
        var doc = NotebookFiles.Make(cells);
        // A notebook path inside the notebooks folder, so relative paths resolve as for the real ones.
        var result = new NotebookRunner(TextWriter.Null).Run(doc, Path.Combine(NotebookFiles.RepoRoot, "notebooks", "test.ipynb"));
        return (result, doc);
    }

    static JsonObject Output(IpynbDocument doc, int cell, string type) =>
        doc.Cells[cell].Outputs.Select(o => (JsonObject)o!).Single(o => (string?)o["output_type"] == type);

    static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)node ?? "";

    [Fact]
    public void PrintsAndValuesBecomeStreamAndResult()
    {
        var (result, doc) = Run("md:# title", "printfn \"hello %d\" 3\nlet x = 40 + 2\nx", "let y = x + 1", "eprintfn \"warn\"\n[ y ]");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.CodeCellsRun);
        Assert.Equal("hello 3\n", Text(Output(doc, 1, "stream")["text"]));
        var value = Output(doc, 1, "execute_result");
        Assert.Equal("42", Text(value["data"]!["text/plain"]));
        Assert.Equal(1, (int?)value["execution_count"]);
        Assert.Empty(doc.Cells[2].Outputs); // a binding shows nothing
        Assert.Equal("stderr", (string?)Output(doc, 3, "stream")["name"]);
        Assert.Equal("[43]", Text(Output(doc, 3, "execute_result")["data"]!["text/plain"]));
    }

    [Fact]
    public void FrameValueBecomesHtmlTable()
    {
        var (result, doc) = Run(
            $"#r \"{CoreBin}/Deedle.dll\"\nopen Deedle",
            "type Row = { Method: string; Auroc: float }\nFrame.ofRecords [ { Method = \"fd\"; Auroc = 0.9 }; { Method = \"rd\"; Auroc = 0.8 } ]");
        Assert.True(result.Succeeded, result.Error);
        var html = Text(Output(doc, 1, "execute_result")["data"]!["text/html"]);
        Assert.Contains("<table>", html);
        Assert.Contains("<th>Auroc</th>", html);
        Assert.Contains("<td>rd</td>", html);
    }

    [Fact]
    public void CoreRunsInsideTheSessionWithTheHostsAssemblies()
    {
        var (result, doc) = Run("#load \"Setup.fsx\"",
            "let t = TorchSharp.torch.ones(2L, 3L)\nt.sum().item<float32>()",
            "typeof<Workbench.Runtime.TorchRuntime>.Assembly = typeof<Workbench.Reporting.PngImage>.Assembly");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("6.0f", Text(Output(doc, 1, "execute_result")["data"]!["text/plain"]));
        Assert.Same(typeof(Workbench.Reporting.PngImage).Assembly, typeof(Workbench.Runtime.TorchRuntime).Assembly);
    }

    [Fact]
    public void RuntimeErrorStopsAtTheCellAndNamesIt()
    {
        var (result, doc) = Run("md:intro", "let a = 1", "printfn \"before\"\nfailwith \"boom\" |> ignore", "printfn \"never\"");
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCell);
        Assert.StartsWith("cell 3:", result.Error);
        Assert.Contains("boom", result.Error);
        Assert.Equal("before\n", Text(Output(doc, 2, "stream")["text"]));
        Assert.Equal("boom", (string?)Output(doc, 2, "error")["evalue"]);
        Assert.Empty(doc.Cells[3].Outputs);
        Assert.Null((int?)JsonNode.Parse(doc.ToJson())!["cells"]![3]!["execution_count"]);
    }

    [Fact]
    public void CompileErrorNamesCellAndCompilerMessage()
    {
        var (result, _) = Run("let a = 1", "let b: string = a");
        Assert.Equal(2, result.FailedCell);
        Assert.Contains("cell 2: CompilationError", result.Error);
        Assert.Contains("FS0001", result.Error);
    }
}
