using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using TorchSharp;
using Workbench.Runtime;

namespace Workbench.Cli.Commands;

/// <summary>`workbench info`: versions, where libtorch came from, device, threads and the state of the native fix.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "Print TorchSharp/libtorch versions, where libtorch was loaded from, device, threads and whether the native fix was applied.");
        cmd.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            var device = GlobalOptions.Apply(parse);
            var location = TorchRuntime.LibTorch;
            var found = location is null ? null : LibTorchVersionReader.Read(location.Directory);
            var builtFor = LibTorchVersionReader.BuiltFor;
            var warning = location is null ? null : LibTorchVersionReader.MismatchWarning(found, builtFor);
            // A table on a terminal; "item: value" lines when redirected (logs, scripts), never wrapped.
            var rows = new List<(string Item, string Value)>();
            void Row(string item, string value) => rows.Add((item, value));
            Row("workbench", typeof(TorchRuntime).Assembly.GetName().Version?.ToString() ?? "?");
            Row(".NET", RuntimeInformation.FrameworkDescription);
            Row("OS", RuntimeInformation.OSDescription);
            Row("TorchSharp", $"{TorchRuntime.TorchSharpVersion} (built for libtorch {builtFor})");
            Row("libtorch", found is null ? TorchRuntime.LibTorchVersion() : $"{found.Version} (from {found.Evidence})");
            Row("libtorch from", location is null ? "(found by TorchSharp)" : $"{location.Source}: {location.Directory}");
            Row("libtorch loaded", string.Join(", ", TorchRuntime.LoadedLibTorchFiles()) is { Length: > 0 } files ? files : "(not visible: not Linux)");
            if (warning != null) Row("warning", warning);
            Row("backend", torch.cuda.is_available() ? $"CUDA ({torch.cuda.device_count()} device(s), cuDNN {(torch.cuda.is_cudnn_available() ? "yes" : "no")})" : "CPU only");
            Row("device", device.ToString());
            Row("threads", torch.get_num_threads().ToString());
            Row("cores", Environment.ProcessorCount.ToString());
            Row("native dir", TorchRuntime.NativeDirectory ?? "(found by TorchSharp)");
            Row("native fix", TorchRuntime.NativeFixStatus());
            if (Console.IsOutputRedirected)
                foreach (var (item, value) in rows) Console.WriteLine($"{item + ":",-16} {value}");
            else
            {
                var table = new Table().AddColumn("item").AddColumn("value");
                foreach (var (item, value) in rows)
                    table.AddRow(item == "warning" ? "[yellow]warning[/]" : item, item == "warning" ? $"[yellow]{Markup.Escape(value)}[/]" : Markup.Escape(value));
                AnsiConsole.Write(table);
            }
            if (warning != null) Console.Error.WriteLine($"warning: {warning}");
            return 0;
        });
        return cmd;
    }
}
