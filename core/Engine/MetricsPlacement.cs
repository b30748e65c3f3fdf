using static TorchSharp.torch;

namespace Workbench.Engine;

/// <summary>
/// Where the trainer computes the metrics. "auto" (default): on the training device — the tensor path on a
/// GPU (maps stay there), the managed CPU scan on the CPU. "cpu": maps copied to the CPU first, the CPU path on
/// every device (what the trainer always did before; on a GPU the faster of the two is not known in general:
/// `workbench metrics bench --device cuda` times both). Not part of a run's config: both give the same metrics
/// to rounding, so a run made either way is reused.
/// </summary>
public static class MetricsPlacement
{
    public static readonly IReadOnlyList<string> Choices = new[] { "auto", "cpu" };

    public static Device Resolve(string choice, Device trainingDevice) => (choice ?? "auto").Trim().ToLowerInvariant() switch
    {
        "auto" => trainingDevice,
        "cpu" => CPU,
        var c => throw new ArgumentException($"--metrics-device {c}: expected {string.Join(" or ", Choices)}"),
    };
}
