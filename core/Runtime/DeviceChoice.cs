using TorchSharp;

namespace Workbench.Runtime;

/// <summary>The one place that turns `--device auto|cpu|cuda[:N]` into a torch device.</summary>
public static class DeviceChoice
{
    public static torch.Device Resolve(string choice)
    {
        TorchRuntime.EnsureLoaded();
        var c = (choice ?? "auto").Trim().ToLowerInvariant();
        if (c == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (c == "cpu") return torch.CPU;
        if (c == "cuda" || c.StartsWith("cuda:"))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"--device {choice}: CUDA is not available ({WhyNoCuda()}); use --device cpu, or a CUDA libtorch: " +
                                            "an installed CUDA PyTorch through --libtorch (see README, GPU), or a build with -p:TorchBackend=cuda");
            return new torch.Device(c);
        }
        throw new ArgumentException($"--device {choice}: expected auto, cpu, cuda or cuda:N");
    }

    static string WhyNoCuda()
    {
        var lib = TorchRuntime.LibTorch;
        if (lib != null && !File.Exists(Path.Combine(lib.Directory, "libtorch_cuda.so")))
            return $"the libtorch in use has no libtorch_cuda.so: {lib.Directory}, {lib.Source}";
        return "no GPU is visible, or the driver does not match the libtorch in use";
    }
}
