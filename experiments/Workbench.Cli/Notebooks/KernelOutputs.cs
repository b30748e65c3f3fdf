using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Cli.Notebooks;

/// <summary>
/// Turns the kernel's events for one cell into that cell's nbformat outputs, as Jupyter and Polyglot
/// Notebooks store them: printed text as stream outputs (consecutive chunks of a stream joined),
/// display() calls as display_data, the cell's value as execute_result, a failure as an error output.
/// The kernel has already formatted every value (its formatters plus those notebooks/Setup.fsx registers).
/// </summary>
public static partial class KernelOutputs
{
    public sealed record CellResult(IReadOnlyList<JsonObject> Outputs, string? ErrorName, string? ErrorMessage)
    {
        public bool Failed => ErrorMessage != null;
    }

    public static CellResult From(IReadOnlyList<KernelEvent> events, int executionCount)
    {
        var outputs = new List<JsonObject>();
        string? errorName = null, errorMessage = null;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case "StandardOutputValueProduced": AddStream(outputs, "stdout", PlainText(e.Body)); break;
                case "StandardErrorValueProduced": AddStream(outputs, "stderr", PlainText(e.Body)); break;
                case "DisplayedValueProduced": outputs.Add(Data("display_data", e.Body, null)); break;
                case "ReturnValueProduced": outputs.Add(Data("execute_result", e.Body, executionCount)); break;
                case "CommandFailed":
                    var message = (string?)e.Body["message"] ?? "the kernel reported a failure without a message";
                    (errorName, errorMessage) = SplitError(message);
                    outputs.Add(CellOutputs.Error(errorName, errorMessage, message.Split('\n').Select(l => l.TrimEnd('\r'))));
                    break;
            }
        }
        return new CellResult(outputs, errorName, errorMessage);
    }

    /// <summary>"System.Exception: boom\n   at ..." → (System.Exception, boom); an F# diagnostic "input.fsx (1,5)-(1,9) typecheck error ..." →
    /// (CompilationError, the message) for parse and typecheck errors, (FSharpInteractiveError, the message) for the others (e.g. an
    /// assembly that fails to load while a cell is compiled).</summary>
    public static (string Name, string Message) SplitError(string message)
    {
        var firstLine = message.Split('\n')[0].TrimEnd('\r');
        var exception = ExceptionLine().Match(firstLine);
        if (exception.Success) return (exception.Groups[1].Value, exception.Groups[2].Value);
        var diagnostic = DiagnosticLine().Match(firstLine);
        if (!diagnostic.Success) return ("Error", message.Trim());
        return (diagnostic.Groups[1].Value is "typecheck" or "parse" ? "CompilationError" : "FSharpInteractiveError", message.Trim());
    }

    [GeneratedRegex(@"^([A-Za-z_][\w.`]*(?:Exception|Error)): (.*)$")]
    private static partial Regex ExceptionLine();

    [GeneratedRegex(@"\(\d+,\d+\)-\(\d+,\d+\) (\w+) error")]
    private static partial Regex DiagnosticLine();

    static string PlainText(JsonObject body) =>
        FormattedValues(body).FirstOrDefault(v => v.Mime == "text/plain").Value ?? "";

    static IEnumerable<(string Mime, string Value)> FormattedValues(JsonObject body) =>
        (body["formattedValues"] as JsonArray ?? new JsonArray())
        .Select(v => ((string?)v?["mimeType"] ?? "", (string?)v?["value"] ?? ""));

    static void AddStream(List<JsonObject> outputs, string name, string text)
    {
        if (outputs.Count > 0 && (string?)outputs[^1]["output_type"] == "stream" && (string?)outputs[^1]["name"] == name)
        {
            var previous = string.Concat(((JsonArray)outputs[^1]["text"]!).Select(l => (string?)l));
            outputs[^1] = CellOutputs.Stream(name, previous + text);
        }
        else outputs.Add(CellOutputs.Stream(name, text));
    }

    static JsonObject Data(string outputType, JsonObject body, int? executionCount)
    {
        var bundle = new Dictionary<string, string>();
        foreach (var (mime, value) in FormattedValues(body)) bundle[mime] = value;
        return CellOutputs.Data(outputType, executionCount, bundle);
    }
}
