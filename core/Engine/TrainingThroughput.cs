using System.Diagnostics;
using Workbench.Methods;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Engine;

/// <summary>Training and inference images/s of one method on one batch.</summary>
public sealed record ThroughputResult(double TrainImagesPerSecond, double InferImagesPerSecond);

/// <summary>
/// Times a method's train steps and predictions (`workbench bench train`): one warm-up each, then
/// <c>steps</c> timed ones, the device synchronised before every clock read (CUDA runs kernels
/// asynchronously: without it inference was timed as fast as it was queued). Each train step has its
/// own step index and seed, as in training, so synthesis is drawn anew every step.
/// </summary>
public static class TrainingThroughput
{
    /// <param name="images">one normalised batch on the method's device</param>
    /// <param name="wait">waits for the device (default <see cref="DeviceSync.Wait"/>; tests pass a recorder)</param>
    public static ThroughputResult Measure(IAnomalyMethod method, Tensor images, int steps, Action<Device>? wait = null)
    {
        if (steps < 1) throw new ArgumentException($"steps {steps}: must be ≥ 1");
        wait ??= DeviceSync.Wait;
        long b = images.shape[0];
        var phase = method.Phases[0].Name;
        method.TrainStep(images, new StepContext(phase, 0, 0, 0));
        wait(method.Device);
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= steps; i++) method.TrainStep(images, new StepContext(phase, 0, i, i));
        wait(method.Device);
        double train = steps * b / clock.Elapsed.TotalSeconds;

        using (method.Predict(images)) { }
        wait(method.Device);
        clock.Restart();
        for (int i = 0; i < steps; i++) using (method.Predict(images)) { }
        wait(method.Device);
        double infer = steps * b / clock.Elapsed.TotalSeconds;
        return new ThroughputResult(train, infer);
    }
}
