using Workbench.Methods;

namespace Workbench.Engine;

/// <summary>Which data a run uses. Nothing is implicit: dataset, categories, protocol and size are named.</summary>
/// <param name="Format">synthetic | mvtec | mpdd | visa | cifar10</param>
/// <param name="Root">dataset root (for synthetic: where the generated benchmark lives, created if missing)</param>
/// <param name="Categories">categories to use; empty = all found under the root</param>
/// <param name="Protocol">one-class | multi-class</param>
public sealed record DataConfig(string Format, string Root, IReadOnlyList<string> Categories, string Protocol, int ImageSize);

/// <summary>Everything a training run needs; written verbatim into the run's manifest.</summary>
public sealed record RunConfig
{
    public required DataConfig Data { get; init; }
    public required MethodConfig Method { get; init; }
    public int Seed { get; init; } = 0;
    public int BatchSize { get; init; } = 16;
    /// <summary>Evaluate on the test split every N epochs (0 = only at the end).</summary>
    public int EvalEvery { get; init; } = 0;
    public string Device { get; init; } = "auto";
    /// <summary>Run folder: manifest, metrics, checkpoint, scores.</summary>
    public required string OutDir { get; init; }
    /// <summary>Stop after this many optimisation steps per epoch (0 = full epochs); for smoke runs.</summary>
    public int MaxStepsPerEpoch { get; init; } = 0;
    /// <summary>Also report RD4AD's per-image PRO (Metrics/Rd4adPro) next to MVTec AUPRO: the definition of
    /// RD4AD's and DSKD's published PRO, so their numbers are compared like for like.</summary>
    public bool Rd4adPro { get; init; } = false;
}
