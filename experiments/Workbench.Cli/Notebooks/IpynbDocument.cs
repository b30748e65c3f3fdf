using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4) kept as its JSON tree, so metadata the runner does not know
/// (kernel info, cell ids, editor state) survives a read/write round trip untouched.
/// </summary>
public sealed class IpynbDocument
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // Keep HTML/JS in outputs readable (<, >, & unescaped) as Jupyter writes them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    readonly JsonObject root;

    IpynbDocument(JsonObject root)
    {
        this.root = root;
        if ((int?)root["nbformat"] is not 4) throw new InvalidDataException($"nbformat {root["nbformat"]}: only nbformat 4 notebooks are supported");
        Cells = (root["cells"] as JsonArray ?? throw new InvalidDataException("notebook has no cells array"))
            .Select(c => new IpynbCell(c as JsonObject ?? throw new InvalidDataException("cell is not an object"))).ToList();
        if ((int?)root["nbformat_minor"] >= 5) AddMissingCellIds();
    }

    /// <summary>nbformat 4.5 requires a unique id per cell; give unnamed cells a stable one (position-based, so reruns do not churn diffs).</summary>
    void AddMissingCellIds()
    {
        var cells = (JsonArray)root["cells"]!;
        var taken = cells.Select(c => (string?)c!["id"]).Where(id => id != null).ToHashSet();
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i]!["id"] != null) continue;
            var id = $"cell-{i + 1}";
            while (!taken.Add(id)) id += "-";
            cells[i]!["id"] = id;
        }
    }

    public IReadOnlyList<IpynbCell> Cells { get; }

    public JsonObject Metadata => root["metadata"] as JsonObject ?? (JsonObject)(root["metadata"] = new JsonObject());

    /// <summary>The notebook's default language: Polyglot's default kernel, else language_info.</summary>
    public string Language =>
        (string?)Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]
        ?? (string?)Metadata["language_info"]?["name"] ?? "fsharp";

    public static IpynbDocument Parse(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("notebook is not a JSON object"));

    public static IpynbDocument Load(string path)
    {
        try { return Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
    }

    /// <summary>Jupyter's layout: one-space indent is not required, but a trailing newline is conventional.</summary>
    public string ToJson() => root.ToJsonString(WriteOptions) + "\n";

    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, ToJson(), new UTF8Encoding(false));
        File.Move(tmp, full, overwrite: true);
    }
}

/// <summary>One cell: its kind, source, language and (for code cells) outputs.</summary>
public sealed class IpynbCell(JsonObject node)
{
    public string CellType => (string?)node["cell_type"] ?? "code";

    public bool IsCode => CellType == "code";

    /// <summary>nbformat allows a string or a list of lines; both read as one string.</summary>
    public string Source => node["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

    /// <summary>The cell's kernel per .NET Interactive / Polyglot metadata; null = the notebook default.</summary>
    public string? Language =>
        (string?)node["metadata"]?["polyglot_notebook"]?["kernelName"]
        ?? (string?)node["metadata"]?["dotnet_interactive"]?["language"];

    public JsonArray Outputs => node["outputs"] as JsonArray ?? (JsonArray)(node["outputs"] = new JsonArray());

    public void SetExecuted(int? executionCount, IEnumerable<JsonObject> outputs)
    {
        node["execution_count"] = executionCount;
        var arr = new JsonArray();
        foreach (var o in outputs) arr.Add(o);
        node["outputs"] = arr;
    }

    /// <summary>Stored as a list of lines, each but the last ending in \n (what Jupyter writes).</summary>
    public static JsonArray SplitLines(string text)
    {
        var arr = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { arr.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) arr.Add(text[start..]);
        return arr;
    }
}
