using Workbench.Distillation;
using Workbench.Methods.Rd;

namespace Workbench.Methods.Dskd;

/// <summary>Which anomaly map DSKD reports (the paper's ablation, Tables 4-5).</summary>
public enum DskdVariant
{
    /// <summary>Forward student D_f only ("Pos").</summary>
    Forward,
    /// <summary>Reverse student D_r only ("Res").</summary>
    Reverse,
    /// <summary>Fixed weights forward:reverse (1:3 in the paper, "MaFu").</summary>
    Manual,
    /// <summary>The fusion net trained with Dice on synthetic noise (the full method). Default.</summary>
    Learned,
}

/// <summary>Which teacher feature feeds a reverse block's skip path (Eq. 2 leaves the indices ambiguous; see README).</summary>
public enum DskdSkipSource
{
    /// <summary>Eq. 2's indices: the block reconstructing E^t reads E^(t+1), the level its input D^(t+1)
    /// reconstructed, at the same resolution (stride 1); none before the first block (no E^4). Never reads
    /// the level the block must reconstruct. Default.</summary>
    Deeper,
    /// <summary>The level the block reconstructs, E^t (2× the block's input resolution), at stride 2 into the
    /// block's input (the paper's stride, but it hands the student its target past the bottleneck).</summary>
    Target,
    /// <summary>The shallower neighbour E^(t−1) (the teacher stem for level 1), at stride 2 into the block's output.</summary>
    Shallower,
    /// <summary>No skip path: the plain RD4AD decoder.</summary>
    None,
}

/// <summary>The fusion net's form (Fig. 2; "1×1 convolution", ReLU and sigmoid, "six 1×1 parameters").</summary>
public enum DskdFusionForm
{
    /// <summary>6 → FusionHidden (1×1) → ReLU → 1 (1×1) → sigmoid. Default (see README: the literal form is degenerate).</summary>
    Hidden,
    /// <summary>The paper's words: 6 → 1 (1×1) → ReLU → sigmoid, 7 parameters; output confined to [0.5, 1).</summary>
    Literal,
    /// <summary>6 → 1 (1×1) → sigmoid, 7 parameters: the literal form without the ReLU.</summary>
    Linear,
}

/// <summary>The attention att(·) of Eq. 2, whose form the paper does not give.</summary>
public enum DskdAttention
{
    /// <summary>Channel gate (MLP on pooled [decoder, skip]) × spatial gate (7×7 on channel mean/max). Default.</summary>
    ChannelSpatial,
    /// <summary>Channel gate only.</summary>
    Channel,
    /// <summary>No gating: the skip features pass unchanged.</summary>
    None,
}

/// <summary>When the fusion net trains relative to the students (not stated in the paper).</summary>
public enum DskdFusionSchedule
{
    /// <summary>Students for Epochs, then the fusion net for FusionSteps with the students frozen. Default.</summary>
    TwoPhase,
    /// <summary>Students and fusion net in the same steps for Epochs (fusion inputs are detached either way).</summary>
    Joint,
}

/// <summary>
/// DSKD options ("Dual-student knowledge distillation for visual anomaly detection", Complex &amp;
/// Intelligent Systems 2024). Optimiser defaults follow the paper (= RD4AD): Adam lr 0.005, betas (0.5, 0.999).
/// </summary>
public sealed record DskdConfig : MethodConfig
{
    public DskdVariant Variant { get; init; } = DskdVariant.Learned;
    public DskdSkipSource SkipSource { get; init; } = DskdSkipSource.Deeper;
    public DskdAttention Attention { get; init; } = DskdAttention.ChannelSpatial;
    /// <summary>Channel-gate MLP reduction (CBAM's 16).</summary>
    public int AttentionReduction { get; init; } = 16;
    /// <summary>Distillation loss of both students (Eq. 1). PerPosition (default): 1 − cos over channels at each
    /// position, averaged, as Fig. 1's caption compares "each position" and the reverse student's loss is "consistent
    /// with" the forward one's; Flattened: RD4AD code's whole-map cosine.</summary>
    public RdLossForm Loss { get; init; } = RdLossForm.PerPosition;
    public double LearningRate { get; init; } = 0.005;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;
    /// <summary>How each student's three level maps are combined for the Forward/Reverse/Manual variants.</summary>
    public LevelCombine Combine { get; init; } = LevelCombine.Sum;
    /// <summary>Manual fusion weights (paper: forward:reverse = 1:3); the map is their weighted mean.</summary>
    public double ManualForwardWeight { get; init; } = 1.0;
    public double ManualReverseWeight { get; init; } = 3.0;
    public DskdFusionSchedule FusionSchedule { get; init; } = DskdFusionSchedule.TwoPhase;
    /// <summary>Optimisation steps of the fusion phase (TwoPhase; not given in the paper), rounded up to whole
    /// epochs. Counted in steps because a small category has few steps an epoch: 20 epochs (40–60 steps) left the
    /// learned fusion unstable across seeds on the synthetic categories and 60 epochs (180 steps) fixed it
    /// (results/ablation-dskd/quick-fusion60); 300 is about what 20 epochs give on MVTec bottle.</summary>
    public int FusionSteps { get; init; } = 300;
    public DskdFusionForm FusionForm { get; init; } = DskdFusionForm.Hidden;
    /// <summary>Hidden channels of the Hidden fusion form.</summary>
    public int FusionHidden { get; init; } = 16;
    public double FusionLearningRate { get; init; } = 0.005;
    /// <summary>Texture-noise opacity β ~ U[BetaMin, BetaMax] (Eq. 3; paper [0.15, 1]).</summary>
    public double BetaMin { get; init; } = 0.15;
    public double BetaMax { get; init; } = 1.0;
    /// <summary>Folder of texture images for A (DTD in the paper); empty = the workbench's procedural textures.</summary>
    public string TextureFolder { get; init; } = "";
    public override string MethodName => "dskd";
    public override MethodConfig WithScaledTraining(int epochs) => this with { Epochs = epochs, FusionSteps = ScaledLike(FusionSteps, epochs) };
}
