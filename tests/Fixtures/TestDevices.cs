using Workbench.Runtime;

namespace Workbench.Tests.Fixtures;

/// <summary>Devices for device-parameterised tests: "cpu" always, "cuda" too (the test skips itself
/// where no GPU is visible, so a CPU machine reports it as skipped rather than passed).</summary>
public static class TestDevices
{
    public static IEnumerable<object[]> All => new[] { new object[] { "cpu" }, new object[] { "cuda" } };

    /// <summary>The torch device for <paramref name="name"/>; skips the test when it is CUDA and none is available.</summary>
    public static TorchSharp.torch.Device Get(string name)
    {
        TorchRuntime.EnsureLoaded();
        if (name == "cuda") Skip.IfNot(TorchSharp.torch.cuda.is_available(), "no CUDA device");
        return DeviceChoice.Resolve(name);
    }
}
