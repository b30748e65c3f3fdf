using System.Text.RegularExpressions;
using Workbench.Tests.Notebooks;

namespace Workbench.Tests.Reporting;

/// <summary>
/// Committed results, notebooks and READMEs are copied into papers and reports: they must never carry this
/// machine's absolute paths (a data root, a work tree, a temp folder). Data and weights are named by name,
/// run folders and files relative to the repository.
/// </summary>
public class NoMachinePathsTests
{
    /// <summary>A POSIX path under a root that only ever names a machine's own folders, or a Windows drive path.
    /// Not preceded by a word character, '.', '~' or ':' (so URLs and relative paths do not match).</summary>
    public static readonly Regex AbsolutePath = new(
        @"(?<![\w.~:/-])/(?:work|home|tmp|root|Users|mnt|media|scratch|srv|opt|var|data|usr/local)/[\w.+-]+|(?<![\w])[A-Za-z]:\\[\w .-]{2,}\\",
        RegexOptions.Compiled);

    static readonly string[] TextExtensions = [".md", ".tex", ".csv", ".json", ".html", ".ipynb", ".txt", ".svg"];

    static IEnumerable<string> CommittedTextFiles()
    {
        var root = NotebookFiles.RepoRoot;
        foreach (var dir in new[] { "results", "notebooks" })
            foreach (var f in Directory.EnumerateFiles(Path.Combine(root, dir), "*", SearchOption.AllDirectories))
                if (TextExtensions.Contains(Path.GetExtension(f))) yield return f;
        foreach (var f in Directory.EnumerateFiles(root, "README.md", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, f);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "runs" or "results" or "notebooks" or ".git")) continue;
            yield return f;
        }
    }

    [Fact]
    public void No_committed_file_names_an_absolute_path()
    {
        var hits = new List<string>();
        foreach (var f in CommittedTextFiles())
        {
            int lineNo = 0;
            foreach (var line in File.ReadLines(f))
            {
                lineNo++;
                var m = AbsolutePath.Match(line);
                if (m.Success) hits.Add($"{Path.GetRelativePath(NotebookFiles.RepoRoot, f)}:{lineNo}: {m.Value}");
            }
        }
        Assert.True(hits.Count == 0, $"{hits.Count} absolute path(s) in committed files:\n" + string.Join("\n", hits.Take(40)));
    }

    [Theory]
    [InlineData("data root /work/shared/data/mvtec_ad", true)]
    [InlineData("\"RunDir\": \"/home/ana/wb/runs/x\"", true)]
    [InlineData("wrote /tmp/gallery.ipynb", true)]
    [InlineData(@"C:\Users\ana\runs", true)]
    [InlineData("../shared/data/mvtec_ad/bottle/test/000.png", false)]
    [InlineData("runs/experiments/mvtec2/rd-one-class-bottle", false)]
    [InlineData("https://github.com/hq-deng/RD4AD/tree/main/data", false)]
    [InlineData("</sup></div> 1/3 of the steps", false)]
    [InlineData("var a=\"a:\\n\"", false)]
    public void The_pattern_tells_machine_paths_from_relative_ones(string text, bool absolute) =>
        Assert.Equal(absolute, AbsolutePath.IsMatch(text));
}
