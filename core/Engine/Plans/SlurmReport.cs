using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Workbench.Engine.Plans;

/// <summary>
/// What the collect step of a Slurm plan tells a person: the runs that did not finish, each with its task's
/// exit, log and last log line and the command that resubmits just those tasks; and the per-task overhead
/// (queue wait, process start) against the trainer's own time.
/// </summary>
public static class SlurmReport
{
    /// <summary>One paragraph per unfinished run folder. Folders outside the plan (their config changed after
    /// submission, or never submitted) are named as such.</summary>
    public static string Unfinished(RunPlan plan, IReadOnlyList<string> runDirs, int throttle)
    {
        var byDir = plan.Runs.ToDictionary(r => r.RunDir);
        var s = new StringBuilder($"{runDirs.Count} run(s) of plan {plan.Folder} are not finished:\n");
        var resubmit = new List<int>();
        foreach (var dir in runDirs.Select(Path.GetFullPath))
        {
            if (!byDir.TryGetValue(dir, out var run))
            {
                s.Append($"  - {dir}: not in the plan (never submitted, or its config changed since); run the script with --executor slurm to submit it\n");
                continue;
            }
            resubmit.Add(run.Index);
            var exit = SlurmArray.Exit(plan, run.Index);
            var log = SlurmArray.LogOf(plan, run.Index);
            var what = exit is null
                ? (log is null ? "never started" : "no exit status: killed (time limit, node failure or scancel) or still being cleaned up")
                : $"exit {exit.ExitCode} on {exit.Host} (job {exit.JobId})";
            s.Append($"  - task {run.Index} [{run.Label}] {dir}: {what}\n");
            s.Append($"      log: {log ?? "(none)"}\n");
            if (log is not null && LastLine(log) is { } last) s.Append($"      last line: {last}\n");
        }
        if (resubmit.Count > 0)
            s.Append($"Resubmit only these: {SlurmArray.SubmitCommand(plan, resubmit, throttle)}\n" +
                     "(or run the script again with --executor slurm, which submits every unfinished run), then collect again.");
        return s.ToString();
    }

    /// <summary>Per-task timing of the plan's finished tasks, one line: queue wait (submit to task start), task wall
    /// time, and the part of it outside the trainer (dotnet start, libtorch load, config and data checks); null
    /// when no task has written its exit file.</summary>
    public static string? Overhead(RunPlan plan)
    {
        var submitted = SlurmArray.Submissions(plan).ToDictionary(x => x.JobId, x => x.SubmittedAt);
        var waits = new List<double>(); var walls = new List<double>(); var outside = new List<double>(); var trainer = new List<double>();
        foreach (var run in plan.Runs)
        {
            if (SlurmArray.Exit(plan, run.Index) is not { ExitCode: 0 } e) continue;
            if (submitted.TryGetValue(e.JobId, out var at)) waits.Add(e.Start - at);
            walls.Add(e.End - e.Start);
            if (TrainerSeconds(run.RunDir) is double t) { trainer.Add(t); outside.Add(e.End - e.Start - t); }
        }
        if (walls.Count == 0) return null;
        static string M(List<double> xs) => xs.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"median {Median(xs):F1} s (max {xs.Max():F1})");
        // the first start is the scheduler's own latency; later tasks also wait for a free slot
        var first = waits.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{waits.Min():F1} s");
        return $"{walls.Count} task(s): first task started {first} after submission; queue wait {M(waits)}; task wall {M(walls)}; " +
               $"outside the trainer (dotnet, libtorch, config) {M(outside)}; trainer {M(trainer)}";
    }

    /// <summary>The trainer's wall time (manifest PhaseSeconds.total): data, training, evaluation.</summary>
    static double? TrainerSeconds(string runDir)
    {
        var path = Path.Combine(runDir, "manifest.json");
        if (!File.Exists(path)) return null;
        return JsonNode.Parse(File.ReadAllText(path))?["PhaseSeconds"]?["total"]?.GetValue<double>();
    }

    static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    static string? LastLine(string path) =>
        File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).LastOrDefault();
}
