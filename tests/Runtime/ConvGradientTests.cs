using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Runtime;

/// <summary>
/// Conv gradients against a float64 reference. libtorch 2.10's oneDNN AVX-512 backward-data
/// kernel is wrong when the output channel count is not a multiple of 16 (Runtime/OneDnn.cs);
/// these tests pin down which configurations the workbench may rely on.
/// </summary>
public class ConvGradientTests
{
    static double InputGradError(int cin, int cout)
    {
        manual_seed(1);
        using var scope = NewDisposeScope();
        var x = randn(4, cin, 16, 16).requires_grad_(true);
        var w = (randn(cout, cin, 3, 3) * 0.1).requires_grad_(true);
        var target = randn(4, cout, 16, 16);
        nn.functional.mse_loss(nn.functional.conv2d(x, w, padding: new long[] { 1, 1 }), target).backward();
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        nn.functional.mse_loss(nn.functional.conv2d(x64, w.detach().to(ScalarType.Float64), padding: new long[] { 1, 1 }),
                               target.to(ScalarType.Float64)).backward();
        var err = (x.grad!.to(ScalarType.Float64) - x64.grad!).abs().max() / x64.grad!.abs().max();
        return err.item<double>();
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(128, 256)]
    [InlineData(16, 32)]
    public void DefaultKernelsAreExactForMultipleOf16Channels(int cin, int cout)
    {
        TorchRuntime.EnsureLoaded();
        Assert.True(InputGradError(cin, cout) < 1e-5);
    }

    [Theory]
    [InlineData(48, 24)]
    [InlineData(8, 3)]
    [InlineData(16, 1)]
    public void WithOneDnnOffAnyChannelCountIsExact(int cin, int cout)
    {
        TorchRuntime.EnsureLoaded();
        var was = OneDnn.Enabled;
        try
        {
            OneDnn.Enabled = false;
            Assert.Equal(false, OneDnn.Enabled);
            for (int i = 0; i < 3; i++) Assert.True(InputGradError(cin, cout) < 1e-5);
        }
        finally { OneDnn.Enabled = was; }
    }
}
