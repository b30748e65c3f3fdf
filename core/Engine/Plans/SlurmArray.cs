using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Engine.Plans;

/// <summary>How each array task is requested from Slurm (the sbatch options an experiment script takes).</summary>
/// <param name="Partition">--partition; null = the cluster's default</param>
/// <param name="GpusPerTask">--gpus-per-task; 0 = none requested</param>
/// <param name="CpusPerTask">--cpus-per-task; also the task's libtorch threads unless OMP_NUM_THREADS is set</param>
/// <param name="Time">--time (e.g. 02:00:00); null = the partition's default</param>
/// <param name="Throttle">at most this many tasks at once (--array=…%N); 0 = no limit</param>
public sealed record SlurmOptions(string? Partition = null, int GpusPerTask = 0, int CpusPerTask = 1, string? Time = null, int Throttle = 0);

/// <summary>What an array task wrote when its command ended: exit code, epoch seconds at start and end, job, host.</summary>
public sealed record TaskExit(int ExitCode, double Start, double End, string JobId, string Host);

/// <summary>
/// A <see cref="RunPlan"/> as one Slurm job array: <c>array.sbatch</c> trains run <c>$SLURM_ARRAY_TASK_ID</c>,
/// its output goes to <c>logs/&lt;job&gt;_&lt;task&gt;.log</c> and its exit code to <c>status/NNNN.exit</c> (so
/// checking the array needs no accounting database: only squeue and the plan folder). The job is named after the
/// plan folder, so every array of a plan, resubmissions by hand included, is found in the queue by name.
/// </summary>
public static class SlurmArray
{
    public const string ScriptFile = "array.sbatch";
    public const string SubmissionsFile = "submissions.txt";

    /// <summary>The job name of a plan's arrays: "wb-" + the folder's name + a hash of its full path.</summary>
    public static string JobName(string planFolder)
    {
        var full = Path.GetFullPath(planFolder);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8].ToLowerInvariant();
        return $"wb-{Path.GetFileName(full.TrimEnd('/'))}-{hash}";
    }

    /// <summary>Writes <c>array.sbatch</c>: the sbatch options as #SBATCH lines (so a resubmission is just
    /// <c>sbatch --array=… array.sbatch</c>) and one <c>workbench train --config</c> per task.</summary>
    /// <param name="dotnet">the dotnet host that runs <paramref name="cliDll"/> on the nodes</param>
    /// <param name="workDir">the tasks' working directory (relative data paths and the git commit are read from it)</param>
    public static string WriteScript(RunPlan plan, SlurmOptions o, string dotnet, string cliDll, string workDir)
    {
        foreach (var (what, folder) in new[] { ("plan folder", plan.Folder), ("working directory", workDir) })
            if (folder.Any(c => char.IsWhiteSpace(c) || c is '%' or '"' or '\'' or '\\'))
                throw new ArgumentException($"the {what} {folder} holds a space, quote, backslash or %, which #SBATCH lines cannot carry; use a folder without them (--plan DIR)");
        if (!File.Exists(cliDll)) throw new FileNotFoundException($"the workbench CLI {cliDll} is not built: run `dotnet build Workbench.sln` first", cliDll);
        if (o.CpusPerTask < 1) throw new ArgumentException($"--cpus-per-task {o.CpusPerTask}: must be at least 1");
        if (o.GpusPerTask < 0) throw new ArgumentException($"--gpus-per-task {o.GpusPerTask}: must be 0 or more");
        if (o.Throttle < 0) throw new ArgumentException($"--throttle {o.Throttle}: must be 0 (no limit) or more");
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"#SBATCH --job-name={JobName(plan.Folder)}\n");
        s.Append($"#SBATCH --output={plan.Folder}/logs/%A_%a.log\n");
        s.Append($"#SBATCH --chdir={workDir}\n");
        s.Append($"#SBATCH --cpus-per-task={o.CpusPerTask}\n");
        s.Append("#SBATCH --ntasks=1\n");
        if (o.Partition is { } part) s.Append($"#SBATCH --partition={part}\n");
        if (o.GpusPerTask > 0) s.Append($"#SBATCH --gpus-per-task={o.GpusPerTask}\n");
        if (o.Time is { } time) s.Append($"#SBATCH --time={time}\n");
        s.Append("# One array task = one run of the plan. `workbench train --config` reuses a finished run and resumes a\n");
        s.Append("# killed one, so rerunning a task is always safe; the exit file lets the collect step check tasks without sacct.\n");
        s.Append($"plan={Quote(plan.Folder)}\n");
        s.Append("i=$(printf '%04d' \"$SLURM_ARRAY_TASK_ID\")\n");
        s.Append("export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$SLURM_CPUS_PER_TASK}\n");
        s.Append("echo \"== task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname) at $(date -u +%FT%TZ), OMP_NUM_THREADS=$OMP_NUM_THREADS\"\n");
        s.Append("start=$(date +%s.%N)\n");
        s.Append($"{Quote(dotnet)} {Quote(cliDll)} train --config \"$plan/runs/$i.json\"\n");
        s.Append("rc=$?\n");
        s.Append("mkdir -p \"$plan/status\"\n");
        s.Append("echo \"$rc $start $(date +%s.%N) $SLURM_ARRAY_JOB_ID $(hostname)\" > \"$plan/status/$i.exit.tmp\" && mv \"$plan/status/$i.exit.tmp\" \"$plan/status/$i.exit\"\n");
        s.Append("exit $rc\n");
        Directory.CreateDirectory(Path.Combine(plan.Folder, "logs"));
        var path = Path.Combine(plan.Folder, ScriptFile);
        AtomicFile.WriteAllText(path, s.ToString());
        return path;
    }

    /// <summary>The --array value: the indices as ranges ("0-3,7"), with "%N" when throttled.</summary>
    public static string ArraySpec(IEnumerable<int> indices, int throttle)
    {
        var sorted = indices.Distinct().OrderBy(i => i).ToList();
        if (sorted.Count == 0) throw new ArgumentException("an array needs at least one task");
        var parts = new List<string>();
        for (int k = 0; k < sorted.Count;)
        {
            int j = k;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == k ? $"{sorted[k]}" : $"{sorted[k]}-{sorted[j]}");
            k = j + 1;
        }
        return string.Join(",", parts) + (throttle > 0 ? $"%{throttle}" : "");
    }

    /// <summary>The command that submits <paramref name="indices"/> of the plan (all of them, or a failed few again).</summary>
    public static string SubmitCommand(RunPlan plan, IEnumerable<int> indices, int throttle) =>
        $"sbatch --array={ArraySpec(indices, throttle)} {Path.Combine(plan.Folder, ScriptFile)}";

    /// <summary>Submits the plan's <c>array.sbatch</c> for <paramref name="indices"/>; returns the job id and
    /// records it (with the time, for the queue-wait measurement) in <c>submissions.txt</c>.</summary>
    public static string Submit(RunPlan plan, IEnumerable<int> indices, int throttle)
    {
        var spec = ArraySpec(indices, throttle);
        var (code, stdout, stderr) = Slurm("sbatch", "--parsable", $"--array={spec}", Path.Combine(plan.Folder, ScriptFile));
        if (code != 0) throw new IOException($"sbatch --array={spec} {Path.Combine(plan.Folder, ScriptFile)} failed (exit {code}): {stderr.Trim()}");
        var jobId = stdout.Trim().Split(';')[0];
        File.AppendAllText(Path.Combine(plan.Folder, SubmissionsFile),
            $"{jobId} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F3} {spec}\n");
        return jobId;
    }

    /// <summary>The plan's tasks still in the queue (pending, running, completing), one per task: (id, state).</summary>
    public static IReadOnlyList<(string Task, string State)> Live(string planFolder)
    {
        var (code, stdout, stderr) = Slurm("squeue", "--noheader", "--array", $"--name={JobName(planFolder)}",
                                           "--states=PENDING,CONFIGURING,RUNNING,COMPLETING,SUSPENDED,REQUEUED", "--format=%i %T");
        if (code != 0) throw new IOException($"squeue failed (exit {code}): {stderr.Trim()}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .Select(l => l.Split(' ', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : "")).ToList();
    }

    /// <summary>"3 running, 5 pending": the states of <see cref="Live"/> counted.</summary>
    public static string Describe(IReadOnlyList<(string Task, string State)> live) =>
        string.Join(", ", live.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));

    /// <summary>What task <paramref name="index"/> wrote when it ended, or null (never ran, or killed: time limit, node failure, scancel).</summary>
    public static TaskExit? Exit(RunPlan plan, int index)
    {
        var path = Path.Combine(plan.Folder, "status", $"{index:D4}.exit");
        if (!File.Exists(path)) return null;
        var f = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (f.Length < 5) throw new InvalidDataException($"{path}: expected 'exit start end job host', got '{string.Join(' ', f)}'");
        var inv = CultureInfo.InvariantCulture;
        return new TaskExit(int.Parse(f[0], inv), double.Parse(f[1], inv), double.Parse(f[2], inv), f[3], f[4]);
    }

    /// <summary>The submissions of the current plan: (job id, submit time in epoch seconds, --array value).</summary>
    public static IReadOnlyList<(string JobId, double SubmittedAt, string Spec)> Submissions(RunPlan plan)
    {
        var path = Path.Combine(plan.Folder, SubmissionsFile);
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path).Select(l => l.Split(' ')).Where(f => f.Length >= 3)
                   .Select(f => (f[0], double.Parse(f[1], CultureInfo.InvariantCulture), f[2])).ToList();
    }

    /// <summary>The log of the last attempt at task <paramref name="index"/>: the exit file's job, else the latest
    /// submission whose log for the task exists; null when the task never started.</summary>
    public static string? LogOf(RunPlan plan, int index)
    {
        var jobs = Exit(plan, index) is { } e ? [e.JobId] : Submissions(plan).Select(s => s.JobId).Reverse();
        return jobs.Select(j => Path.Combine(plan.Folder, "logs", $"{j}_{index}.log")).FirstOrDefault(File.Exists);
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    static (int Code, string Stdout, string Stderr) Slurm(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"{tool} not found ({e.Message}): --executor slurm needs the Slurm client commands (sbatch, squeue) on this machine's PATH", e);
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout, err.Result);
        }
    }
}
