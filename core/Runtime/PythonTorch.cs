using System.ComponentModel;
using System.Diagnostics;

namespace Workbench.Runtime;

/// <summary>
/// Finds an installed PyTorch's native folder (torch/lib) by asking Python to import torch, so a GPU
/// server with PyTorch needs no libtorch of ours. The interpreter is $WORKBENCH_PYTHON, else python3.
/// </summary>
public static class PythonTorch
{
    public const string InterpreterVariable = "WORKBENCH_PYTHON";
    const string Script = "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))";

    public static string Interpreter =>
        Environment.GetEnvironmentVariable(InterpreterVariable) is { Length: > 0 } p ? p : "python3";

    /// <summary>How the folder was found, as shown by `workbench info`.</summary>
    public static string Command => $"{Interpreter} -c 'import torch'";

    /// <summary>torch/lib of the interpreter's PyTorch, or an error saying why not. Importing torch takes a
    /// few seconds; a hung interpreter is killed after <paramref name="timeout"/>.</summary>
    public static (string? Directory, string? Error) FindLibDirectory(TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (Win32Exception e) { return (null, $"{Interpreter}: {e.Message}"); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return (null, $"{Command} did not finish in time");
            }
            var output = stdout.Result.Trim();
            if (p.ExitCode != 0)
            {
                var last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {p.ExitCode}";
                return (null, $"{Command}: {last}");
            }
            var dir = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir)) return (null, $"{Command} printed no existing folder ('{dir}')");
            return (dir, null);
        }
    }
}
