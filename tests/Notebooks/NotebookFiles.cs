using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>Where the repository's notebooks are, and small notebooks built in tests.</summary>
public static class NotebookFiles
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Workbench.sln not found above the test output");
        }
    }

    public static IEnumerable<object[]> Committed() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "notebooks"), "*.ipynb").Order().Select(p => new object[] { Path.GetFileName(p) });

    /// <summary>An nbformat 4 F# notebook with the .NET Interactive metadata; markdown cells start with "md:".</summary>
    public static IpynbDocument Make(params string[] cells)
    {
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cells.Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["cell_type"] = c.StartsWith("md:") ? "markdown" : "code",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
                ["source"] = IpynbCell.SplitLines(c.StartsWith("md:") ? c[3..] : c),
            }).ToArray()),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ".net-fsharp", ["language"] = "F#", ["display_name"] = ".NET (F#)" },
                ["language_info"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "F#" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return IpynbDocument.Parse(json.ToJsonString());
    }
}

/// <summary>Notebook tests start a kernel process each (about a core while it compiles) and the notebooks train small models:
/// one at a time, so they neither starve each other nor time out on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks (one kernel at a time)";
}
