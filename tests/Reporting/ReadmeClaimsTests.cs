using System.Text.RegularExpressions;
using Deedle;
using Workbench.Tests.Fixtures;
using Workbench.Tests.Notebooks;

namespace Workbench.Tests.Reporting;

/// <summary>
/// A comparative sentence in a results README cites the generated claim row it rests on:
/// "[claim &lt;experiment&gt;/&lt;preset&gt;#&lt;id&gt;: &lt;verdict&gt;]". The verdict written in the README must be the one in
/// results/&lt;experiment&gt;/&lt;preset&gt;/claims.csv (the SeedComparison rule), so prose cannot claim more than the numbers.
/// </summary>
public class ReadmeClaimsTests
{
    static readonly Regex Reference = new(@"\[claim (?<folder>[\w.+-]+/[\w.+-]+)#(?<id>[\w.+-]+): (?<verdict>better|worse|no clear difference|single seed)\]", RegexOptions.Compiled);

    /// <summary>Every claim reference in <paramref name="text"/> that does not match its claims.csv row, as messages.</summary>
    public static List<string> Mismatches(string text, string resultsRoot, string source)
    {
        var errors = new List<string>();
        var tables = new Dictionary<string, Dictionary<string, string>?>();
        foreach (Match m in Reference.Matches(text))
        {
            var folder = m.Groups["folder"].Value;
            if (!tables.TryGetValue(folder, out var verdicts))
                tables[folder] = verdicts = ReadVerdicts(Path.Combine(resultsRoot, folder, "claims.csv"));
            if (verdicts is null) errors.Add($"{source}: {m.Value}: results/{folder}/claims.csv does not exist");
            else if (!verdicts.TryGetValue(m.Groups["id"].Value, out var v)) errors.Add($"{source}: {m.Value}: no row '{m.Groups["id"].Value}' in results/{folder}/claims.csv");
            else if (v != m.Groups["verdict"].Value) errors.Add($"{source}: {m.Value}: the generated verdict is '{v}'");
        }
        return errors;
    }

    static Dictionary<string, string>? ReadVerdicts(string csv)
    {
        if (!File.Exists(csv)) return null;
        var frame = Frame.ReadCsv(csv, hasHeaders: true, inferTypes: false);
        if (!frame.ColumnKeys.Contains("Id") || !frame.ColumnKeys.Contains("Verdict")) throw new InvalidDataException($"{csv}: no Id/Verdict columns");
        return frame.Rows.Values.ToDictionary(r => r.GetAs<string>("Id"), r => r.GetAs<string>("Verdict"));
    }

    [Fact]
    public void Every_claim_cited_in_a_results_README_matches_its_generated_verdict()
    {
        var results = Path.Combine(NotebookFiles.RepoRoot, "results");
        var errors = Directory.EnumerateFiles(results, "README.md", SearchOption.AllDirectories)
            .SelectMany(f => Mismatches(File.ReadAllText(f), results, Path.GetRelativePath(NotebookFiles.RepoRoot, f)))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void A_reference_with_another_verdict_or_an_unknown_row_is_caught()
    {
        using var d = new TempDir();
        var folder = Path.Combine(d.Path, "ablation-x", "quick");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "claims.csv"),
            "Id,Candidate,Baseline,Metric,Candidate (%),Baseline (%),Δ (points),Verdict\n" +
            "fd-cram-image,\"snl-fd sc, intra\",fd,ImageAuroc,90.1 ± 0.5,92.5 ± 0.4,-2.4,worse\n" +
            "rd-cram-image,snl-rd,rd,ImageAuroc,90.1 ± 0.5,90.5 ± 0.4,-0.4,no clear difference\n");
        Assert.Empty(Mismatches("CRAM costs FD [claim ablation-x/quick#fd-cram-image: worse]; RD [claim ablation-x/quick#rd-cram-image: no clear difference].", d.Path, "t"));
        Assert.Single(Mismatches("CRAM helps FD [claim ablation-x/quick#fd-cram-image: better].", d.Path, "t"));
        Assert.Single(Mismatches("[claim ablation-x/quick#no-such-row: worse]", d.Path, "t"));
        Assert.Single(Mismatches("[claim ablation-y/quick#fd-cram-image: worse]", d.Path, "t"));
    }
}
