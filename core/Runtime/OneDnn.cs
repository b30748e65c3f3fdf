using System.Runtime.InteropServices;

namespace Workbench.Runtime;

/// <summary>
/// Switch for libtorch's oneDNN (mkldnn) CPU kernels, which TorchSharp does not expose.
/// Why: in the libtorch 2.10 / oneDNN 3.7.1 build shipped with TorchSharp 0.107.0, the
/// AVX-512 convolution backward-data kernel returns wrong input gradients (and sometimes NaN)
/// when the number of output channels is not a multiple of 16, e.g. 48→24 or 8→3 channels
/// (found here: relative error 0.2-0.3 against a float64 reference; see tests/Runtime).
/// Calls at::globalContext().setUserEnabledMkldnn(bool), the function behind PyTorch's
/// torch.backends.mkldnn.enabled; x86-64 SysV passes `this` as the first argument.
/// </summary>
public static class OneDnn
{
    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledMkldnn(IntPtr context);

    /// <summary>Whether oneDNN kernels are enabled (null when the switch is unavailable on this platform).</summary>
    public static bool? Enabled
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            if (!Supported) return null;
            return UserEnabledMkldnn(GlobalContext());
        }
        set
        {
            TorchRuntime.EnsureLoaded();
            if (!Supported || value is null) return;
            SetUserEnabledMkldnn(GlobalContext(), value.Value);
        }
    }

    static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;
}
