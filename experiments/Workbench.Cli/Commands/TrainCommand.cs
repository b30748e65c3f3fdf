using System.CommandLine;
using Workbench.Engine;

namespace Workbench.Cli.Commands;

/// <summary>`workbench train`: one run of one method on one dataset/protocol into a run folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var o = new RunOptions();
        var outDir = new Option<string?>("--out") { Description = "run folder (default runs/<method>-<format>-<protocol>-<size>-s<seed>)" };
        var resume = new Option<bool>("--resume") { Description = "continue from the run folder's checkpoint" };
        var keepOptimiser = new Option<bool>("--keep-optimiser-state")
        {
            Description = "keep the optimiser state in the finished run's checkpoint (3x larger with Adam), so the run can later be extended with --resume and more --epochs",
        };
        var cmd = new Command("train", "Train a method and evaluate it; writes manifest, checkpoint, metrics and scores to the run folder.");
        o.AddData(cmd); o.AddTraining(cmd); cmd.Add(o.MetricsDevice); cmd.Add(outDir); cmd.Add(resume); cmd.Add(keepOptimiser);
        cmd.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            var data = o.Data(p);
            var method = o.MethodConfig(p);
            int seed = p.GetValue(o.Seed);
            var dir = p.GetValue(outDir) ?? Path.Combine("runs", $"{method.MethodName}-{data.Format}-{data.Protocol}-{data.ImageSize}-s{seed}");
            var config = new RunConfig
            {
                Data = data, Method = method, Seed = seed, BatchSize = p.GetValue(o.BatchSize),
                EvalEvery = p.GetValue(o.EvalEvery), Device = p.GetValue(GlobalOptions.Device) ?? "auto",
                OutDir = dir, MaxStepsPerEpoch = p.GetValue(o.MaxSteps), Rd4adPro = p.GetValue(o.Rd4adPro),
            };
            var result = o.Trainer(p).Run(config, p.GetValue(resume), keepOptimiserState: p.GetValue(keepOptimiser));
            ResultPrinter.Print(result);
            return 0;
        });
        return cmd;
    }
}
