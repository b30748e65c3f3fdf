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
                throw new ArgumentException($"--device {choice}: CUDA is not available (this build uses TorchBackend=cpu or no GPU is visible); use --device cpu or build with -p:TorchBackend=cuda");
            return new torch.Device(c);
        }
        throw new ArgumentException($"--device {choice}: expected auto, cpu, cuda or cuda:N");
    }
}
