using System.Text.Json.Nodes;
using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>The kernel's events (as dotnet-interactive 1.0.712001 sends them) become nbformat outputs.</summary>
public class KernelOutputsTests
{
    static KernelEvent Values(string type, params (string Mime, string Value)[] values) =>
        new(type, new JsonObject
        {
            ["formattedValues"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["mimeType"] = v.Mime, ["value"] = v.Value }).ToArray()),
        });

    static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)node ?? "";

    [Fact]
    public void PrintsJoinPerStreamAndValuesKeepTheirMimeTypes()
    {
        var result = KernelOutputs.From([
            Values("StandardOutputValueProduced", ("text/plain", "hello")),
            Values("StandardOutputValueProduced", ("text/plain", "\n")),
            Values("StandardErrorValueProduced", ("text/plain", "warn\n")),
            Values("DisplayedValueProduced", ("text/html", "<b>shown</b>")),
            Values("ReturnValueProduced", ("image/png", "iVBORw0K"), ("text/plain", "PngImage")),
            new KernelEvent("CommandSucceeded", new JsonObject()),
        ], executionCount: 4);
        Assert.False(result.Failed);
        Assert.Equal(["stream", "stream", "display_data", "execute_result"], result.Outputs.Select(o => (string?)o["output_type"]));
        Assert.Equal("hello\n", Text(result.Outputs[0]["text"]));
        Assert.Equal("stderr", (string?)result.Outputs[1]["name"]);
        Assert.Equal("<b>shown</b>", Text(result.Outputs[2]["data"]!["text/html"]));
        Assert.Null(result.Outputs[2]["execution_count"]);
        Assert.Equal(4, (int?)result.Outputs[3]["execution_count"]);
        Assert.Equal("iVBORw0K", (string?)result.Outputs[3]["data"]!["image/png"]); // one base64 string, not lines
    }

    [Fact]
    public void FailureBecomesAnErrorOutputNamingTheException()
    {
        var result = KernelOutputs.From([
            new KernelEvent("CommandFailed", new JsonObject { ["message"] = "System.Exception: boom\n   at <StartupCode$FSI_0005>.$FSI_0005.main@()" }),
        ], 1);
        Assert.True(result.Failed);
        Assert.Equal(("System.Exception", "boom"), (result.ErrorName, result.ErrorMessage));
        var error = Assert.Single(result.Outputs);
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal(2, error["traceback"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("input.fsx (1,18)-(1,19) typecheck error This expression was expected to have type", "CompilationError")]
    [InlineData("System.IO.FileLoadException: Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'", "System.IO.FileLoadException")]
    [InlineData("input.fsx (2,1)-(2,3) parse error Unexpected symbol", "CompilationError")]
    [InlineData("unknown (1,1)-(1,1) interactive error Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'", "FSharpInteractiveError")]
    [InlineData("something else went wrong", "Error")]
    public void ErrorNames(string message, string name) => Assert.Equal(name, KernelOutputs.SplitError(message).Name);
}
