using System.Diagnostics;
using System.Text.Json.Nodes;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Experiments;

/// <summary>
/// Every experiment script (experiments/*.fsx that #loads Lab.fsx) runs end to end with --smoke
/// (one tiny epoch per phase, one seed) in a temp folder, so a broken script fails CI. The quick
/// preset needs nothing beyond the repository: the synthetic benchmark is generated.
/// </summary>
public class ExperimentScriptTests
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Workbench.sln not found above " + AppContext.BaseDirectory);
        }
    }

    static List<string> ScriptNames() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "experiments"), "*.fsx").OrderBy(f => f, StringComparer.Ordinal)
            .Where(f => File.ReadAllText(f).Contains("#load \"Lab.fsx\"")).Select(f => Path.GetFileName(f)!).ToList();

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var name in ScriptNames()) data.Add(name);
        return data;
    }

    [Fact]
    public void There_are_experiment_scripts() => Assert.NotEmpty(ScriptNames());

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_runs_with_smoke_preset(string script)
    {
        using var tmp = new TempDir();
        var outDir = Path.Combine(tmp.Path, "out");
        var (code, output) = Run(script, "--preset", "quick", "--smoke", "--out", outDir, "--runs", Path.Combine(tmp.Path, "runs"),
                                 "--data-root", Path.Combine(tmp.Path, "synthetic-64"), "--teacher-weights", "random");
        Assert.True(code == 0, $"{script} exited {code}:\n{Tail(output)}");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!;
        Assert.False(manifest["TeacherPretrained"]!.GetValue<bool>());
        Assert.Contains("RANDOM", manifest["Teacher"]!.GetValue<string>());
        var outputs = manifest["Outputs"]!.AsArray().Select(o => o!.GetValue<string>()).ToList();
        Assert.NotEmpty(outputs);
        foreach (var o in outputs) Assert.True(File.Exists(Path.Combine(RepoRoot, o)), $"{script}: listed output {o} missing");
        Assert.Contains(outputs, o => o.EndsWith(".md"));
    }

    [Fact]
    public void Equal_steps_adds_longer_one_class_runs_and_their_table()
    {
        using var tmp = new TempDir();
        var outDir = Path.Combine(tmp.Path, "out");
        var (code, output) = Run("one-class-vs-multi-class.fsx", "--preset", "quick", "--smoke", "--equal-steps", "--methods", "fd",
                                 "--out", outDir, "--runs", Path.Combine(tmp.Path, "runs"),
                                 "--data-root", Path.Combine(tmp.Path, "synthetic-64"), "--teacher-weights", "random");
        Assert.True(code == 0, $"exited {code}:\n{Tail(output)}");
        var table = File.ReadAllText(Path.Combine(outDir, "table-equal-steps.md"));
        Assert.Contains("One-class, equal steps", table);
        Assert.Contains("| fd | image AUROC |", table);
        var runs = File.ReadAllText(Path.Combine(outDir, "runs.csv"));
        Assert.Contains("fd (equal steps)", runs);
    }

    [Fact]
    public void Unknown_option_fails_naming_it()
    {
        var (code, output) = Run(ScriptNames()[0], "--presett", "quick");
        Assert.NotEqual(0, code);
        Assert.Contains("--presett", output);
    }

    [Theory]
    [InlineData("one-class-vs-multi-class.fsx", "--seeds", "0,x")]
    [InlineData("ablation-dskd.fsx", "--sizes", "128,big")]
    public void Non_integer_option_fails_naming_it(string script, string option, string value)
    {
        var (code, output) = Run(script, option, value);
        Assert.NotEqual(0, code);
        Assert.Contains($"option {option}: '", output);
    }

    [Fact]
    public void Scalar_race_diagnostic_runs_both_cases()
    {
        // one second per case: the race itself is not asserted (it is a race), only that the script still runs
        var (code, output) = Run(Path.Combine("diagnostics", "scalar-finalizer-race.fsx"), "1");
        Assert.True(code == 0, $"exited {code}:\n{Tail(output)}");
        Assert.Matches(@"implicit Scalar \(a \+ b\)\s+(ok: \d+ adds|FAILED after)", output);
        Assert.Matches(@"explicit Scalar kept alive \(a\.add\(b, one\)\)\s+(ok: \d+ adds|FAILED after)", output);
    }

    internal static (int Code, string Output) Run(string script, params string[] args) => Run(new Dictionary<string, string>(), script, args);

    /// <summary>Runs an experiment script with <c>dotnet fsi</c> from the repository root, with extra environment variables.</summary>
    internal static (int Code, string Output) Run(IReadOnlyDictionary<string, string> environment, string script, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("fsi");
        psi.ArgumentList.Add(Path.Combine("experiments", script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(900_000)) { p.Kill(true); return (-1, stdout + "\n(timed out)"); }
        return (p.ExitCode, stdout + "\n" + err.Result);
    }

    internal static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
