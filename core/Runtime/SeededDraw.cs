using static TorchSharp.torch;

namespace Workbench.Runtime;

/// <summary>
/// Seeded random tensors for any device. TorchSharp 0.107 creates every <see cref="Generator"/> on the CPU
/// (its native constructor ignores the device), and a CUDA op handed a CPU generator fails with "Expected a
/// cuda device type for generator but found cpu". So the draw happens on the CPU and the result moves to
/// the device: the same values on every device, for one copy per draw.
/// </summary>
public static class SeededDraw
{
    /// <summary>U[0,1) of <paramref name="shape"/> from <paramref name="generator"/>, on <paramref name="device"/>.</summary>
    public static Tensor Uniform(Generator generator, Device device, params long[] shape) =>
        ToDevice(rand(shape, generator: generator), device);

    /// <summary>N(0,1) of <paramref name="shape"/> from <paramref name="generator"/>, on <paramref name="device"/>.</summary>
    public static Tensor Normal(Generator generator, Device device, params long[] shape) =>
        ToDevice(randn(shape, generator: generator), device);

    static Tensor ToDevice(Tensor cpu, Device device)
    {
        if (device.type == TorchSharp.DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }
}
