using System.Text.Json.Nodes;
using Workbench.Cli.Notebooks;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Notebooks;

public class IpynbDocumentTests
{
    const string Sample = """
        {
         "cells": [
          { "cell_type": "markdown", "id": "m1", "metadata": {}, "source": ["# Title\n", "text"] },
          { "cell_type": "code", "id": "c1", "execution_count": null,
            "metadata": { "dotnet_interactive": { "language": "fsharp" }, "polyglot_notebook": { "kernelName": "fsharp" } },
            "outputs": [], "source": "let x = 1\nx" }
         ],
         "metadata": {
          "kernelspec": { "display_name": ".NET (F#)", "language": "F#", "name": ".net-fsharp" },
          "language_info": { "name": "F#" },
          "polyglot_notebook": { "kernelInfo": { "defaultKernelName": "fsharp" } },
          "custom": { "kept": [1, 2, 3] }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    [Fact]
    public void ReadsSourcesAsListOrStringAndLanguages()
    {
        var doc = IpynbDocument.Parse(Sample);
        Assert.Equal(2, doc.Cells.Count);
        Assert.False(doc.Cells[0].IsCode);
        Assert.Equal("# Title\ntext", doc.Cells[0].Source);
        Assert.Equal("let x = 1\nx", doc.Cells[1].Source);
        Assert.Equal("fsharp", doc.Cells[1].Language);
        Assert.Equal("fsharp", doc.Language);
    }

    [Fact]
    public void RoundTripKeepsUnknownMetadataAndAddsOutputs()
    {
        using var tmp = new TempDir();
        var doc = IpynbDocument.Parse(Sample);
        doc.Cells[1].SetExecuted(1, new[] { CellOutputs.Stream("stdout", "a\nb\n"), CellOutputs.Data("execute_result", 1, new Dictionary<string, string> { ["text/plain"] = "1", ["image/png"] = "AAAA" }) });
        doc.Save(tmp.File("out.ipynb"));

        var back = JsonNode.Parse(File.ReadAllText(tmp.File("out.ipynb")))!;
        Assert.Equal(".net-fsharp", (string?)back["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal(3, back["metadata"]!["custom"]!["kept"]!.AsArray().Count);
        Assert.Equal("c1", (string?)back["cells"]![1]!["id"]);
        var outputs = back["cells"]![1]!["outputs"]!.AsArray();
        Assert.Equal("stream", (string?)outputs[0]!["output_type"]);
        Assert.Equal(new[] { "a\n", "b\n" }, outputs[0]!["text"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("execute_result", (string?)outputs[1]!["output_type"]);
        Assert.Equal("AAAA", (string?)outputs[1]!["data"]!["image/png"]); // base64 stays one string
        Assert.Equal(1, (int?)back["cells"]![1]!["execution_count"]);

        var again = IpynbDocument.Load(tmp.File("out.ipynb"));
        Assert.Equal(doc.ToJson(), again.ToJson());
    }

    [Fact]
    public void GivesCellsWithoutIdAUniqueStableOne()
    {
        var doc = NotebookFiles.Make("md:a", "1", "2");
        var ids = JsonNode.Parse(doc.ToJson())!["cells"]!.AsArray().Select(c => (string?)c!["id"]).ToList();
        Assert.Equal(new[] { "cell-1", "cell-2", "cell-3" }, ids);
    }

    [Fact]
    public void RejectsOtherFormats() =>
        Assert.Throws<InvalidDataException>(() => IpynbDocument.Parse("""{ "nbformat": 3, "worksheets": [] }"""));

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\nb", new[] { "a\n", "b" })]
    [InlineData("a\n", new[] { "a\n" })]
    public void SplitsLinesAsJupyterDoes(string text, string[] expected) =>
        Assert.Equal(expected, IpynbCell.SplitLines(text).Select(n => (string?)n));
}
