using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>nbformat 4 output objects (stream, execute_result, display_data, error).</summary>
public static class CellOutputs
{
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = IpynbCell.SplitLines(text),
    };

    /// <summary>A value shown: <paramref name="outputType"/> is execute_result (the cell's value, with its execution count) or
    /// display_data. Text mime types are stored as line lists; images as one base64 string.</summary>
    public static JsonObject Data(string outputType, int? executionCount, IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
            data[mime] = mime.StartsWith("image/", StringComparison.Ordinal) ? JsonValue.Create(content) : IpynbCell.SplitLines(content);
        var output = new JsonObject { ["output_type"] = outputType };
        if (outputType == "execute_result") output["execution_count"] = executionCount;
        output["data"] = data;
        output["metadata"] = new JsonObject();
        return output;
    }

    public static JsonObject Error(string name, string message, IEnumerable<string> traceback)
    {
        var tb = new JsonArray();
        foreach (var line in traceback) tb.Add(line);
        return new JsonObject { ["output_type"] = "error", ["ename"] = name, ["evalue"] = message, ["traceback"] = tb };
    }
}
