using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Notebooks;

/// <summary>One event the kernel sent for a submission: its type (StandardOutputValueProduced, ReturnValueProduced, CommandFailed, ...) and body.</summary>
public sealed record KernelEvent(string Type, JsonObject Body);

/// <summary>
/// A dotnet-interactive kernel process (`dotnet-interactive stdio`, F# by default) driven over its
/// JSON-lines protocol: each submission is a SubmitCode command envelope on stdin; the kernel answers
/// with event envelopes on stdout carrying the command's token, ending with CommandSucceeded or
/// CommandFailed. The kernel does not exit when stdin closes, so disposing kills it.
/// </summary>
public sealed class DotnetInteractiveKernel : IDisposable
{
    static readonly HashSet<string> Terminal = ["CommandSucceeded", "CommandFailed"];

    readonly Process process;
    readonly BlockingCollection<JsonObject> envelopes = new();
    readonly StringBuilder stderr = new();
    int submissions;

    DotnetInteractiveKernel(Process process)
    {
        this.process = process;
        new Thread(ReadEvents) { IsBackground = true, Name = "kernel stdout" }.Start();
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the kernel that the manifest at <paramref name="manifestRoot"/> pins, with <paramref name="workingDirectory"/> as its
    /// current directory and <paramref name="environment"/> added to this process's.</summary>
    public static DotnetInteractiveKernel Start(string manifestRoot, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = manifestRoot, // where `dotnet tool run` finds the manifest
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "fsharp", "--working-dir", workingDirectory })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        try { return new DotnetInteractiveKernel(Process.Start(psi)!); }
        catch (Exception e) { throw new KernelUnavailableException($"could not start dotnet-interactive in {manifestRoot}: {e.Message}"); }
    }

    /// <summary>Runs <paramref name="code"/> in the F# kernel; returns every event for it, the last being CommandSucceeded or CommandFailed.</summary>
    public IReadOnlyList<KernelEvent> Submit(string code, CancellationToken cancel = default)
    {
        var token = $"workbench-{++submissions}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "fsharp" },
        };
        process.StandardInput.WriteLine(envelope.ToJsonString());
        process.StandardInput.Flush();
        var events = new List<KernelEvent>();
        while (true)
        {
            JsonObject e;
            try { e = envelopes.Take(cancel); }
            catch (InvalidOperationException) // the collection was completed: the process ended
            {
                process.WaitForExit(5000);
                throw new KernelUnavailableException($"dotnet-interactive exited (code {(process.HasExited ? process.ExitCode : -1)}) while running a submission: {Stderr()}");
            }
            // Events of the kernel's own setup submissions carry other tokens ("1.1", ...); child commands extend ours ("workbench-3.1").
            var eventToken = (string?)e["command"]?["token"];
            if (eventToken != token && eventToken?.StartsWith(token + ".", StringComparison.Ordinal) != true) continue;
            var kernelEvent = new KernelEvent((string?)e["eventType"] ?? "", e["event"] as JsonObject ?? new JsonObject());
            events.Add(kernelEvent);
            if (eventToken == token && Terminal.Contains(kernelEvent.Type)) return events;
        }
    }

    void ReadEvents()
    {
        try
        {
            // Lines that are not JSON are the kernel's banner (welcome and telemetry text).
            while (process.StandardOutput.ReadLine() is { } line)
                if (line.StartsWith('{') && TryParse(line) is { } envelope) envelopes.Add(envelope);
        }
        finally { envelopes.CompleteAdding(); }
    }

    static JsonObject? TryParse(string line)
    {
        try { return JsonNode.Parse(line) as JsonObject; }
        catch (JsonException) { return null; }
    }

    string Stderr() { lock (stderr) return stderr.ToString().Trim(); }

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); process.WaitForExit(10_000); }
        catch (InvalidOperationException) { } // already gone
        process.Dispose();
    }
}
