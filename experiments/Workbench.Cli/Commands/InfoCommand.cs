using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using TorchSharp;
using Workbench.Runtime;

namespace Workbench.Cli.Commands;

/// <summary>`workbench info`: versions, device, threads and the state of the native fix.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "Print TorchSharp/libtorch versions, device, threads and whether the native fix was applied.");
        cmd.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            var device = GlobalOptions.Apply(parse);
            var table = new Table().AddColumn("item").AddColumn("value");
            table.AddRow("workbench", typeof(TorchRuntime).Assembly.GetName().Version?.ToString() ?? "?");
            table.AddRow(".NET", RuntimeInformation.FrameworkDescription);
            table.AddRow("OS", RuntimeInformation.OSDescription);
            table.AddRow("TorchSharp", TorchRuntime.TorchSharpVersion);
            table.AddRow("libtorch", TorchRuntime.LibTorchVersion());
            table.AddRow("backend", torch.cuda.is_available() ? $"CUDA ({torch.cuda.device_count()} device(s))" : "CPU only");
            table.AddRow("device", device.ToString());
            table.AddRow("threads", torch.get_num_threads().ToString());
            table.AddRow("cores", Environment.ProcessorCount.ToString());
            table.AddRow("native dir", Markup.Escape(TorchRuntime.NativeDirectory ?? "(found by TorchSharp)"));
            table.AddRow("native fix", Markup.Escape(TorchRuntime.NativeFixStatus()));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
