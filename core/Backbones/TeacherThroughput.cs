using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Backbones;

/// <summary>One forward-throughput measurement of a teacher (layer1..LastStage only).</summary>
public sealed record TeacherThroughputResult(string Teacher, int Size, int Batch, int Iterations, double SecondsPerBatch)
{
    public double ImagesPerSecond => Batch / SecondsPerBatch;
}

/// <summary>Times teacher forwards on random ImageNet-sized inputs: a few warm-up batches
/// (allocator, oneDNN primitive caches) then the mean wall time of the timed ones.</summary>
public static class TeacherThroughput
{
    public static TeacherThroughputResult Measure(Teacher teacher, int size, int batch, int iterations = 3, int warmup = 1)
    {
        if (iterations < 1) throw new ArgumentException("iterations must be ≥ 1");
        var device = teacher.parameters().First().device;
        using var x = randn(batch, 3, size, size, device: device);
        for (int i = 0; i < warmup; i++) Run(teacher, x);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) Run(teacher, x);
        return new TeacherThroughputResult(teacher.Spec.Name, size, batch, iterations, clock.Elapsed.TotalSeconds / iterations);
    }

    static void Run(Teacher teacher, Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = teacher.Forward(x);
        if (f[^1].device.type == DeviceType.CUDA) cuda.synchronize();
        _ = f[^1].sum().item<float>(); // forces completion on any backend
    }
}
