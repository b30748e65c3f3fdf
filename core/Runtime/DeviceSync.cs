using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Runtime;

/// <summary>Waits until the device has finished the work queued on it. CUDA kernels run asynchronously, so a
/// clock read without this times how fast work was queued, not how fast it ran. A no-op on the CPU.</summary>
public static class DeviceSync
{
    public static void Wait(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
