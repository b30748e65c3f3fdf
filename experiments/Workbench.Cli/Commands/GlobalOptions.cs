using System.CommandLine;
using Workbench.Runtime;

namespace Workbench.Cli.Commands;

/// <summary>Options every subcommand understands (recursive on the root command).</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Device = new("--device")
    {
        Description = "auto | cpu | cuda | cuda:N (auto picks CUDA when available)",
        DefaultValueFactory = _ => "auto",
        Recursive = true,
    };

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "libtorch intra-op threads (0 = one per core)",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static readonly Option<string> OneDnnSwitch = new("--onednn")
    {
        Description = "on | off: libtorch's oneDNN CPU kernels (off is slower but avoids a libtorch 2.10 conv-gradient bug for channel counts not divisible by 16; see core/Runtime/OneDnn.cs)",
        DefaultValueFactory = _ => "on",
        Recursive = true,
    };

    public static readonly Option<string?> LibTorch = new("--libtorch")
    {
        Description = "where libtorch comes from: a folder holding libtorch*.so (e.g. an installed PyTorch's torch/lib), " +
                      "'python' (the PyTorch python3 imports) or 'package' (the build's own copy); default: $WORKBENCH_LIBTORCH, " +
                      "else the build's copy, else an installed PyTorch",
        Recursive = true,
    };

    /// <summary>Hands --libtorch to the runtime; must run before the first torch call (Program does it right after parsing).</summary>
    public static void ChooseLibTorch(ParseResult parse) =>
        TorchRuntime.UseLibTorch(parse.GetValue(LibTorch), "--libtorch");

    /// <summary>Applies --threads and resolves --device; the one call every command makes first.</summary>
    public static TorchSharp.torch.Device Apply(ParseResult parse)
    {
        Seeding.SetThreads(parse.GetValue(Threads));
        OneDnn.Enabled = (parse.GetValue(OneDnnSwitch) ?? "on") switch
        {
            "on" => true,
            "off" => false,
            var v => throw new ArgumentException($"--onednn {v}: expected on or off"),
        };
        return DeviceChoice.Resolve(parse.GetValue(Device) ?? "auto");
    }
}
