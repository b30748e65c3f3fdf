using System.CommandLine;
using Workbench.Engine;

namespace Workbench.Cli.Commands;

/// <summary>`workbench train`: one run of one method on one dataset/protocol into a run folder; or, with
/// <c>--config FILE</c>, the run a plan file describes (RunConfigFile), idempotently through RunStore:
/// a finished run is reused, a killed one resumed. That form is what a Slurm array task runs.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var o = new RunOptions();
        var outDir = new Option<string?>("--out") { Description = "run folder (default runs/<method>-<format>-<protocol>-<size>-s<seed>; with --config: the config's OutDir)" };
        var configFile = new Option<string?>("--config")
        {
            Description = "a run config file (JSON, as in a run manifest's Config; an experiment plan's runs/NNNN.json): train exactly that run, " +
                          "or reuse it when finished, or resume it when killed; the data, method and training options then come from the file",
        };
        var resume = new Option<bool>("--resume") { Description = "continue from the run folder's checkpoint" };
        var keepOptimiser = new Option<bool>("--keep-optimiser-state")
        {
            Description = "keep the optimiser state in the finished run's checkpoint (3x larger with Adam), so the run can later be extended with --resume and more --epochs",
        };
        var cmd = new Command("train", "Train a method and evaluate it; writes manifest, checkpoint, metrics and scores to the run folder.");
        o.AddData(cmd); o.AddTraining(cmd); cmd.Add(o.MetricsDevice); cmd.Add(outDir); cmd.Add(resume); cmd.Add(keepOptimiser); cmd.Add(configFile);
        cmd.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            if (p.GetValue(configFile) is { } file)
            {
                Option[] fromFile = [.. o.DataAndTraining, resume, keepOptimiser, GlobalOptions.Device];
                foreach (var opt in fromFile)
                    if (p.GetResult(opt) is { Implicit: false })
                        throw new ArgumentException($"--config {file} gives the whole run; {opt.Name} cannot be combined with it (edit the file, or drop --config)");
                var planned = RunConfigFile.Read(file);
                if (p.GetValue(outDir) is { } dirOverride) planned = planned with { OutDir = dirOverride };
                var (runDir, outcome) = RunStore.Ensure(o.Trainer(p), planned, Console.Out);
                Console.WriteLine($"{outcome.ToString().ToLowerInvariant()}: {runDir}");
                return 0;
            }
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
