using Spectre.Console;
using Workbench.Engine;

namespace Workbench.Cli;

/// <summary>Progress bars with throughput and ETA on an interactive terminal; plain lines otherwise
/// (CI logs, redirected output), so the same command is readable everywhere.</summary>
public static class ProgressSinks
{
    public static IProgressSink ForConsole() =>
        AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected
            ? new SpectreProgressSink()
            : new LineProgressSink(Console.Out);
}

public sealed class SpectreProgressSink : IProgressSink
{
    public IProgressTask Start(string name, long total, string unit) => new BarTask(name, total, unit);

    // One live bar per task, run on a background context and closed on Dispose.
    sealed class BarTask : IProgressTask
    {
        readonly Throughput tp;
        readonly string name, unit;
        readonly TaskCompletionSource done = new();
        readonly Task runner;
        ProgressTask? task;
        string status = "";

        public BarTask(string name, long total, string unit)
        {
            this.name = name; this.unit = unit; tp = new Throughput(total);
            var ready = new ManualResetEventSlim();
            runner = Task.Run(() => AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    task = ctx.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1));
                    ready.Set();
                    await done.Task;
                    task.Description = Markup.Escape($"{name} {tp.Done}/{tp.Total} {tp.PerSecond:F1} {unit}/s {status}");
                    task.Value = task.MaxValue;
                }));
            ready.Wait();
        }

        public void Advance(long amount, string? s = null)
        {
            tp.Add(amount);
            if (s != null) status = s;
            if (task == null) return;
            task.Increment(amount);
            task.Description = Markup.Escape($"{name} {tp.PerSecond:F1} {unit}/s {status}");
        }

        public void Dispose() { done.TrySetResult(); runner.Wait(); }
    }
}
