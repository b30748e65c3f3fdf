using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Backbones;

/// <summary>One forward-throughput measurement of a teacher (layer1..LastStage only).</summary>
/// <param name="Seconds">wall time of each timed batch</param>
public sealed record TeacherThroughputResult(string Teacher, int Size, int Batch, double[] Seconds)
{
    public double MedianSeconds => Seconds.Order().ElementAt(Seconds.Length / 2);
    public double BestSeconds => Seconds.Min();
    public double ImagesPerSecond => Batch / MedianSeconds;
    /// <summary>From the fastest batch: the least disturbed by other load on a shared machine.</summary>
    public double BestImagesPerSecond => Batch / BestSeconds;
}

/// <summary>Times teacher forwards on random ImageNet-sized inputs: a few warm-up batches
/// (allocator, oneDNN primitive caches), then each timed batch separately.</summary>
public static class TeacherThroughput
{
    public static TeacherThroughputResult Measure(Teacher teacher, int size, int batch, int iterations = 3, int warmup = 1)
    {
        if (iterations < 1) throw new ArgumentException("iterations must be ≥ 1");
        var device = teacher.parameters().First().device;
        using var x = randn(batch, 3, size, size, device: device);
        for (int i = 0; i < warmup; i++) Run(teacher, x);
        var seconds = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            Run(teacher, x);
            seconds[i] = clock.Elapsed.TotalSeconds;
        }
        return new TeacherThroughputResult(teacher.Spec.Name, size, batch, seconds);
    }

    static void Run(Teacher teacher, Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = teacher.Forward(x);
        if (f[^1].device.type == DeviceType.CUDA) cuda.synchronize();
        _ = f[^1].sum().item<float>(); // forces completion on any backend
    }
}
