using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>nbformat 4 output objects (stream, execute_result, error).</summary>
public static class CellOutputs
{
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = IpynbCell.SplitLines(text),
    };

    /// <summary>The cell's value. Text mime types are stored as line lists; image/png as one base64 string.</summary>
    public static JsonObject Result(int executionCount, IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
            data[mime] = mime.StartsWith("image/", StringComparison.Ordinal) ? JsonValue.Create(content) : IpynbCell.SplitLines(content);
        return new JsonObject
        {
            ["output_type"] = "execute_result",
            ["execution_count"] = executionCount,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        };
    }

    public static JsonObject Error(string name, string message, IEnumerable<string> traceback)
    {
        var tb = new JsonArray();
        foreach (var line in traceback) tb.Add(line);
        return new JsonObject { ["output_type"] = "error", ["ename"] = name, ["evalue"] = message, ["traceback"] = tb };
    }
}
