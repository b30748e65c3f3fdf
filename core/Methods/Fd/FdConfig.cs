namespace Workbench.Methods.Fd;

/// <summary>How the FD loss measures the per-position teacher–student difference.</summary>
public enum FdLossForm
{
    /// <summary>1 − cos over channels, averaged over positions.</summary>
    Cosine,
    /// <summary>½‖t̂ − ŝ‖² of channel-normalised features (STPM's form; equal to 1 − cos up to rounding).</summary>
    NormalizedL2,
}

/// <summary>Forward distillation (STPM family). Defaults follow STPM (Wang et al., BMVC 2021):
/// SGD lr 0.4, momentum 0.9, weight decay 1e-4; maps multiplied across levels.</summary>
public sealed record FdConfig : MethodConfig
{
    public FdLossForm Loss { get; init; } = FdLossForm.NormalizedL2;
    public double LearningRate { get; init; } = 0.4;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public Distillation.LevelCombine Combine { get; init; } = Distillation.LevelCombine.Product;
    public override string MethodName => "fd";
}
