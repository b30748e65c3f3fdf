using System.CommandLine;
using Workbench.Engine;

namespace Workbench.Cli.Commands;

/// <summary>`workbench eval`: evaluate a checkpoint on a dataset split (the method config comes from the checkpoint).</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var o = new RunOptions();
        var ckpt = new Option<string>("--checkpoint") { Description = "checkpoint.zip of a run", Required = true };
        var outDir = new Option<string?>("--out") { Description = "where metrics and scores go (default: <checkpoint folder>/eval)" };
        var cmd = new Command("eval", "Evaluate a trained checkpoint on a dataset split.");
        o.AddData(cmd); cmd.Add(o.MetricsDevice); cmd.Add(ckpt); cmd.Add(outDir);
        cmd.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            var path = p.GetValue(ckpt)!;
            var dir = p.GetValue(outDir) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "eval");
            var result = o.Trainer(p)
                .EvaluateCheckpoint(path, o.Data(p), SeedFor(p, path), p.GetValue(o.BatchSize), p.GetValue(GlobalOptions.Device) ?? "auto", dir);
            ResultPrinter.Print(result);
            return 0;
        });
        return cmd;

        // An explicit --seed wins; otherwise the run's own seed, so a random teacher is rebuilt exactly.
        int SeedFor(ParseResult p, string checkpoint) =>
            p.GetResult(o.Seed) is { Implicit: false } ? p.GetValue(o.Seed) : CheckpointScorer.RunSeed(checkpoint) ?? p.GetValue(o.Seed);
    }
}
