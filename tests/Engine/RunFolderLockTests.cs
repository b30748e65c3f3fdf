using System.Diagnostics;
using Workbench.Data;
using Workbench.Engine;
using Workbench.Methods.Fd;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Engine;

/// <summary>Two processes given the same run folder: the second is refused, and a dead holder never blocks.</summary>
public class RunFolderLockTests(TinySyntheticData data) : IClassFixture<TinySyntheticData>
{
    [Fact]
    public void A_held_folder_refuses_a_second_holder_until_released()
    {
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        using (RunFolderLock.Acquire(dir))
        {
            var e = Assert.Throws<RunFolderBusyException>(() => RunFolderLock.Acquire(dir));
            Assert.Contains(dir, e.Message);
            Assert.Contains(Path.Combine(dir, RunFolderLock.FileName), e.Message);
        }
        using (RunFolderLock.Acquire(dir)) { }
        Assert.Contains($"pid {Environment.ProcessId}", File.ReadAllText(Path.Combine(dir, RunFolderLock.FileName)));
    }

    [Fact]
    public void Training_a_held_run_folder_is_refused_before_anything_is_written()
    {
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        var config = new RunConfig
        {
            Data = new DataConfig("synthetic", data.Root, [MvtecLayout.Categories(data.Root)[0]], "one-class", 64),
            Method = new FdConfig { Teacher = "resnet18", TeacherWeights = "random", Epochs = 1 },
            BatchSize = 4, Device = "cpu", OutDir = dir,
        };
        using (RunFolderLock.Acquire(dir))
            Assert.Throws<RunFolderBusyException>(() => RunStore.Ensure(new Trainer(LineProgressSink.Silent, TextWriter.Null), config, TextWriter.Null));
        Assert.Equal([RunFolderLock.FileName], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_killed_holder_leaves_no_stale_lock()
    {
        Skip.IfNot(File.Exists("/usr/bin/flock"), "util-linux flock not installed");
        using var d = new TempDir();
        var dir = Path.Combine(d.Path, "run");
        Directory.CreateDirectory(dir);
        // another process holds the same kind of lock (flock(2), as .NET takes it for FileShare.None)
        // (--close: the lock stays with flock itself, not with the command it starts)
        var psi = new ProcessStartInfo("/usr/bin/flock", ["--exclusive", "--close", Path.Combine(dir, RunFolderLock.FileName), "sleep", "60"]);
        using var holder = Process.Start(psi)!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && CanAcquire(dir)) Thread.Sleep(100);  // until flock has it
        Assert.Throws<RunFolderBusyException>(() => RunFolderLock.Acquire(dir));
        holder.Kill(entireProcessTree: true);  // SIGKILL: no cleanup runs
        holder.WaitForExit();
        clock.Restart();
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && !CanAcquire(dir)) Thread.Sleep(100);  // the kernel drops it at exit
        using (RunFolderLock.Acquire(dir)) { }
    }

    static bool CanAcquire(string dir)
    {
        try { using (RunFolderLock.Acquire(dir)) return true; }
        catch (RunFolderBusyException) { return false; }
    }
}
