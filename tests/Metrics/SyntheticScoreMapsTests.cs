using Workbench.Metrics.Benchmark;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Metrics;

/// <summary>The metrics benchmark's synthetic set on every device: its seeded draws use a CPU generator
/// (TorchSharp cannot make a CUDA one), which crashed `metrics bench --device cuda` when handed to CUDA ops.</summary>
public class SyntheticScoreMapsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void TheSetIsMadeOnTheDeviceAndMatchesTheCpuSet(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var onDevice = SyntheticScoreMaps.Create(24, 64, 0.5, seed: 3, device);
        using var onCpu = SyntheticScoreMaps.Create(24, 64, 0.5, seed: 3, CPU);
        Assert.Equal(device.type, onDevice.Maps.device.type);
        Assert.Equal(device.type, onDevice.Masks.device.type);
        using var scope = NewDisposeScope();
        Assert.Equal(onCpu.Labels.data<long>().ToArray(), onDevice.Labels.cpu().data<long>().ToArray());
        // Same draws; only the device's arithmetic may differ (a rim pixel can flip on CUDA).
        var maskAgreement = onDevice.Masks.cpu().eq(onCpu.Masks).to(ScalarType.Float32).mean().item<float>();
        Assert.True(maskAgreement > 0.999f, $"masks agree on {maskAgreement:P3} of pixels");
        Assert.True(onDevice.Maps.cpu().allclose(onCpu.Maps, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void AnomalousImagesCarryRegionsWithHigherScoresAndNormalOnesNone()
    {
        using var set = SyntheticScoreMaps.Create(40, 64, 0.5, seed: 1, CPU);
        using var scope = NewDisposeScope();
        var labels = set.Labels.data<long>().ToArray();
        var regionPixels = set.Masks.to(ScalarType.Int64).sum(new long[] { 1, 2 }).data<long>().ToArray();
        Assert.InRange(labels.Count(l => l == 1), 10, 30);
        for (int i = 0; i < labels.Length; i++)
            Assert.True(labels[i] == 1 ? regionPixels[i] > 0 : regionPixels[i] == 0, $"image {i}: label {labels[i]}, {regionPixels[i]} region pixels");
        var inside = set.Maps.masked_select(set.Masks.to(ScalarType.Bool)).mean().item<float>();
        var outside = set.Maps.masked_select(set.Masks.eq(0)).mean().item<float>();
        Assert.True(inside > outside + 0.2f, $"mean score inside regions {inside:F3}, outside {outside:F3}");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SeededDrawsAreTheCpuGeneratorsValuesOnEveryDevice(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = NewDisposeScope();
        var u = SeededDraw.Uniform(new Generator(11), device, 3, 4);
        var n = SeededDraw.Normal(new Generator(11), device, 5);
        Assert.Equal(device.type, u.device.type);
        Assert.Equal(rand(new long[] { 3, 4 }, generator: new Generator(11)).data<float>().ToArray(), u.cpu().data<float>().ToArray());
        Assert.Equal(randn(new long[] { 5 }, generator: new Generator(11)).data<float>().ToArray(), n.cpu().data<float>().ToArray());
    }
}
