using System.Diagnostics;
using Workbench.Engine;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine;

/// <summary>The commit a run or table records: "-dirty" for modified code, but not for regenerated results/.</summary>
public class GitCommitTests
{
    static void Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.email=t@example.org", "-c", "user.name=t" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(" ", args)}: {p.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void Modified_results_leave_the_tree_clean_and_modified_code_makes_it_dirty()
    {
        using var d = new TempDir();
        Directory.CreateDirectory(Path.Combine(d.Path, "results", "x"));
        Directory.CreateDirectory(Path.Combine(d.Path, "core"));
        File.WriteAllText(Path.Combine(d.Path, "results", "x", "table.md"), "a");
        File.WriteAllText(Path.Combine(d.Path, "core", "A.cs"), "a");
        Git(d.Path, "init", "-q");
        Git(d.Path, "add", "-A");
        Git(d.Path, "commit", "-qm", "init");

        var clean = RunManifest.ReadGitCommit(d.Path);
        Assert.Matches("^[0-9a-f]{40}$", clean);
        File.WriteAllText(Path.Combine(d.Path, "results", "x", "table.md"), "b");
        Assert.Equal(clean, RunManifest.ReadGitCommit(Path.Combine(d.Path, "core")));   // from a subfolder too
        File.WriteAllText(Path.Combine(d.Path, "core", "A.cs"), "b");
        Assert.Equal(clean + "-dirty", RunManifest.ReadGitCommit(d.Path));
    }
}
