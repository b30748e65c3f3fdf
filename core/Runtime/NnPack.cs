using System.Runtime.InteropServices;

namespace Workbench.Runtime;

/// <summary>
/// Switch for libtorch's NNPACK convolution path (PyTorch: torch.backends.nnpack). Why: on this
/// machine NNPACK fails to initialise ("Could not initialize NNPACK! Reason: Unsupported
/// hardware") and libtorch logs that warning on every convolution that does not take the oneDNN
/// path (e.g. wide_resnet50_2 at small inputs) — dozens of stderr lines per forward. Turning it
/// off changes no result: convolutions then use oneDNN or the native kernels, as they already do.
/// Calls at::globalContext().setUserEnabledNNPACK(bool), like <see cref="OneDnn"/>.
/// </summary>
public static class NnPack
{
    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledNnpack(IntPtr context);

    /// <summary>Whether NNPACK may be used (null when the switch is unavailable on this platform).</summary>
    public static bool? Enabled
    {
        get => Supported ? UserEnabledNnpack(GlobalContext()) : null;
        set { if (Supported && value is { } v) SetUserEnabledNnpack(GlobalContext(), v); }
    }

    static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;
}
