using System.CommandLine;
using Workbench.Cli.Commands;

// `workbench`: a thin face over the core. Each subcommand lives in Commands/ and only parses
// options, calls the core and prints; no method logic here.
var root = new RootCommand("Knowledge-distillation anomaly detection workbench (TorchSharp).");
root.Add(GlobalOptions.Device);
root.Add(GlobalOptions.Threads);
root.Add(GlobalOptions.OneDnnSwitch);
root.Add(GlobalOptions.LibTorch);
root.Add(InfoCommand.Create());
root.Add(SmokeCommand.Create());
root.Add(QuickCommand.Create());
root.Add(TrainCommand.Create());
root.Add(EvalCommand.Create());
root.Add(PredictCommand.Create());
root.Add(BenchCommand.Create());
root.Add(DataCommand.Create());
root.Add(TeacherCommand.Create());
root.Add(MetricsCommand.Create());
root.Add(NotebookCommand.Create());

try
{
    var parse = root.Parse(args);
    GlobalOptions.ChooseLibTorch(parse); // before any command touches torch
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or FormatException or DllNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
