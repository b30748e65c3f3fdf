using System.Diagnostics;

namespace Workbench.Engine;

/// <summary>One unit of long work (an epoch, a decode pass): advance it and say what is happening.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Adds <paramref name="amount"/> done items; <paramref name="status"/> e.g. "loss 0.123".</summary>
    void Advance(long amount, string? status = null);
}

/// <summary>Where long work reports progress. The CLI shows a Spectre.Console bar; scripts and CI get lines.</summary>
public interface IProgressSink
{
    IProgressTask Start(string name, long total, string unit);
}

/// <summary>Throughput and ETA from items done so far; shared by every sink so they agree.</summary>
public sealed class Throughput(long total)
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    public long Done { get; private set; }
    public long Total => total;
    public void Add(long n) => Done += n;
    public TimeSpan Elapsed => clock.Elapsed;
    public double PerSecond => Done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
    public TimeSpan? Eta => Done == 0 || total <= 0 ? null : TimeSpan.FromSeconds((total - Done) / PerSecond);
    public override string ToString() =>
        $"{Done}/{total} {PerSecond:F1}/s ETA {(Eta is { } e ? e.ToString(@"hh\:mm\:ss") : "--:--:--")}";
}

/// <summary>Plain-text progress: one line at most every <c>interval</c> and at the end. For logs and CI.</summary>
public sealed class LineProgressSink(TextWriter output, TimeSpan? interval = null) : IProgressSink
{
    public static readonly IProgressSink Silent = new NullSink();

    public IProgressTask Start(string name, long total, string unit) => new Task(output, name, total, unit, interval ?? TimeSpan.FromSeconds(5));

    sealed class Task(TextWriter output, string name, long total, string unit, TimeSpan interval) : IProgressTask
    {
        readonly Throughput tp = new(total);
        TimeSpan last = TimeSpan.Zero;
        string? status;
        public void Advance(long amount, string? s = null)
        {
            tp.Add(amount);
            status = s ?? status;
            if (tp.Elapsed - last >= interval) { last = tp.Elapsed; Print(); }
        }
        void Print() => output.WriteLine($"[{name}] {tp} {unit}{(status is null ? "" : "  " + status)}");
        public void Dispose() => Print();
    }

    sealed class NullSink : IProgressSink
    {
        public IProgressTask Start(string name, long total, string unit) => new NullTask();
        sealed class NullTask : IProgressTask { public void Advance(long a, string? s = null) { } public void Dispose() { } }
    }
}
