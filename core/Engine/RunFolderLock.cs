namespace Workbench.Engine;

/// <summary>
/// Exclusive hold on a run folder while a process writes it (<see cref="Trainer.Run"/>), so two processes
/// given the same run (two Slurm tasks, two experiment scripts on one runs folder) cannot interleave their
/// checkpoints and metrics: the second is refused with <see cref="RunFolderBusyException"/>. The hold is an
/// OS file lock (flock on <c>run.lock</c>, taken by .NET for <see cref="FileShare.None"/>), so the kernel
/// drops it when the holder dies, even by SIGKILL: a killed task never leaves a stale lock behind. The file
/// itself stays (deleting it would let a third process lock a new file while the second holds the old one).
/// Across nodes this needs a filesystem with working flock (NFSv4, Lustre mounted with flock, BeeGFS, GPFS).
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = "run.lock";
    readonly FileStream stream;

    RunFolderLock(FileStream stream) => this.stream = stream;

    public static RunFolderLock Acquire(string runDir)
    {
        Directory.CreateDirectory(runDir);
        var path = Path.Combine(runDir, FileName);
        FileStream stream;
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RunFolderBusyException(
                $"run folder {runDir} is being written by another process (it holds {path}; `cat` it for the host and pid). " +
                "Two processes must not train the same run: wait for the other one to finish (its result is then reused), or stop it first.", e);
        }
        // Who holds it, for a person looking at the folder (a refused process cannot read it: the lock covers reads).
        stream.SetLength(0);
        using (var w = new StreamWriter(stream, leaveOpen: true))
            w.Write($"{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:o}\n");
        stream.Flush();
        return new RunFolderLock(stream);
    }

    public void Dispose() => stream.Dispose();
}

/// <summary>Another process holds the run folder (<see cref="RunFolderLock"/>).</summary>
public sealed class RunFolderBusyException(string message, Exception inner) : IOException(message, inner);
