using System.Diagnostics;

namespace Workbench.Tests.Cli;

/// <summary>Runs the `workbench` CLI built next to the tests in a child process (a fresh process is the
/// only way to see which libtorch it loads), without any WORKBENCH_* setting inherited from the test run.</summary>
static class CliProcess
{
    public static (int Code, string Output) Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    public static (int Code, string Output) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("WORKBENCH_")).ToList()) psi.Environment.Remove(k);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(true); return (-1, stdout + "\n(timed out)"); }
        return (p.ExitCode, stdout + "\n" + err.Result);
    }
}
