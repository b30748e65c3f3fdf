using System.Text.Json.Nodes;
using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>Every notebooks/*.ipynb runs in the pinned dotnet-interactive kernel with the smoke configuration, and its committed
/// outputs are a complete, renderable run of that kernel.</summary>
[Collection(NotebookCollection.Name)]
public class CommittedNotebookTests
{
    [SkippableTheory]
    [MemberData(nameof(NotebookFiles.Committed), MemberType = typeof(NotebookFiles))]
    public void RunsInTheKernelWithTheSmokeConfiguration(string name)
    {
        KernelRequirement.SkipUnlessRestored();
        var path = Path.Combine(NotebookFiles.RepoRoot, "notebooks", name);
        var doc = IpynbDocument.Load(path); // executed in memory; the committed file is left as it is
        // Smoke runs take about a minute each on 2 busy cores; the limit only stops a hung cell from hanging the suite.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var result = new NotebookRunner(TextWriter.Null).Run(doc, path, new Dictionary<string, string> { ["WORKBENCH_NOTEBOOK_SMOKE"] = "1" }, limit.Token);
        Assert.True(result.Succeeded, result.Error); // "<notebook>: cell N: <error>"
    }

    [Theory]
    [MemberData(nameof(NotebookFiles.Committed), MemberType = typeof(NotebookFiles))]
    public void CommittedOutputsAreACompleteRun(string name)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebookFiles.RepoRoot, "notebooks", name)))!;
        Assert.Equal(".net-fsharp", (string?)json["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal($"dotnet-interactive {KernelTool.PinnedVersion(NotebookFiles.RepoRoot)}", (string?)json["metadata"]![NotebookRunner.ExecutedByKey]);
        var code = json["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        Assert.All(code, c => Assert.NotNull((int?)c!["execution_count"]));
        var outputs = code.SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        Assert.DoesNotContain(outputs, o => Text(o!["text"]).Contains("smoke: true"));
        var data = outputs.Where(o => o!["data"] != null).Select(o => o!["data"]!.AsObject()).ToList();
        // Rich outputs present and decodable; which kinds depends on the notebook.
        Assert.Contains(data, d => d.ContainsKey("image/png") || d.ContainsKey("text/html"));
        foreach (var d in data.Where(d => d.ContainsKey("image/png")))
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, Convert.FromBase64String((string)d["image/png"]!)[..4]);
        foreach (var d in data.Where(d => Text(d["text/html"]).Contains("Plotly.newPlot")))
            Assert.True(data.Any(x => Text(x["text/html"]).Contains("plotly.js v")), $"{name}: a chart but no inlined plotly.js");
    }

    static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)node ?? "";
}
