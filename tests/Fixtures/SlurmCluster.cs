using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Workbench.Tests.Fixtures;

/// <summary>
/// A real single-node Slurm cluster on localhost for one test: munged with its own key and socket, slurmctld and
/// slurmd from a generated slurm.conf, all in a temporary folder on ports picked free, so nothing of the machine's
/// own munge or Slurm setup is used or touched. Child processes reach it through <see cref="Environment"/>
/// (SLURM_CONF). Dispose cancels its jobs, stops the daemons and deletes the folder, also after a failure.
/// Needs the Debian packages slurm-wlm and munge, and root (slurmd starts jobs as their user).
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    static readonly string[] Tools = ["sbatch", "squeue", "scancel", "sinfo", "slurmctld", "slurmd", "munged", "mungekey"];

    public string Folder { get; }
    public string ConfFile => Path.Combine(Folder, "slurm.conf");
    /// <summary>What a process needs to talk to this cluster.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = ConfFile };

    /// <summary>Why no cluster can be started here, or null.</summary>
    public static string? SkipReason()
    {
        var missing = Tools.Where(t => Which(t) is null).ToList();
        if (missing.Count > 0) return $"Slurm not installed ({string.Join(", ", missing)} not on PATH or in /usr/sbin): apt-get install slurm-wlm munge";
        if (System.Environment.UserName != "root") return "a local Slurm cluster needs root (slurmd runs jobs as their user)";
        return null;
    }

    public SlurmCluster()
    {
        // short path: a Unix socket path must fit in 108 bytes
        Folder = Path.Combine("/tmp", "wbslurm-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var d in new[] { "munge", "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Folder, d));
        try { Start(); }
        catch { Dispose(); throw; }
    }

    void Start()
    {
        var munge = Path.Combine(Folder, "munge");
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(munge, "munge.key");
        Tool("mungekey", "--create", "--bits=1024", $"--keyfile={key}");
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(munge, "munge.socket");
        // --force: munged refuses to run as root otherwise
        Tool("munged", "--force", $"--socket={socket}", $"--key-file={key}", $"--pid-file={munge}/munged.pid",
             $"--log-file={munge}/munged.log", $"--seed-file={munge}/munged.seed");
        var host = Tool("hostname", "-s").Trim();
        File.WriteAllText(ConfFile, $"""
            ClusterName=wbtest
            SlurmctldHost={host}(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            AuthType=auth/munge
            AuthInfo=socket={socket}
            CredType=cred/munge
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/log/slurmctld.log
            SlurmdLogFile={Folder}/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            SchedulerType=sched/backfill
            ReturnToService=2
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/none
            SwitchType=switch/none
            NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN
            PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """);
        Tool("slurmctld", "-f", ConfFile);
        Tool("slurmd", "-f", ConfFile);
        var clock = Stopwatch.StartNew();
        string state = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            state = Run("sinfo", "--noheader", "--format=%T").Output.Trim();
            if (state == "idle") return;
            Thread.Sleep(500);
        }
        throw new InvalidOperationException($"the local Slurm node did not become idle in 60 s (sinfo: '{state}'); logs in {Folder}/log");
    }

    /// <summary>Runs a Slurm (or other) command against this cluster: (exit code, stdout + stderr).</summary>
    public (int Code, string Output) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(Which(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["SLURM_CONF"] = ConfFile;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + err.Result);
    }

    string Tool(string tool, params string[] args)
    {
        var (code, output) = Run(tool, args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }

    public void Dispose()
    {
        if (File.Exists(ConfFile) && File.Exists(Path.Combine(Folder, "slurmctld.pid")))
        {
            Run("scancel", "--user=root");
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && Run("squeue", "--noheader") is { Code: 0, Output: var queued } && queued.Trim().Length > 0) Thread.Sleep(500);
        }
        // slurmd first (it holds the job steps), then the controller, then munge
        foreach (var pidFile in new[] { "slurmd.pid", "slurmctld.pid", "munge/munged.pid" })
            Stop(Path.Combine(Folder, pidFile));
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static void Stop(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) return;
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();  // SIGKILL: these daemons keep no state this test needs
            p.WaitForExit(10_000);
        }
        catch (ArgumentException) { }          // already gone
        catch (InvalidOperationException) { }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static string? Which(string tool) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/sbin")
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
