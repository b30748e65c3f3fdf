namespace Workbench.Methods.Rd;

/// <summary>How the RD training loss compares teacher and student features.</summary>
public enum RdLossForm
{
    /// <summary>1 − cos of the whole flattened C·H·W vector per image (official RD4AD code). Default.</summary>
    Flattened,
    /// <summary>1 − cos over channels at each position, averaged (the paper's equation).</summary>
    PerPosition,
}

/// <summary>RD4AD options; defaults follow the official code (hq-deng/RD4AD main.py).</summary>
public sealed record RdConfig : MethodConfig
{
    public RdLossForm Loss { get; init; } = RdLossForm.Flattened;
    public double LearningRate { get; init; } = 0.005;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;
    /// <summary>Per-level maps are summed in the official code (amap_mode 'a').</summary>
    public Distillation.LevelCombine Combine { get; init; } = Distillation.LevelCombine.Sum;
    public override string MethodName => "rd";
}
