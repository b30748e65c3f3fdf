namespace Workbench.Methods.Dmdd;

/// <summary>How the pixel mask M is brought to a feature level's resolution.</summary>
public enum DmddMaskDownsample
{
    /// <summary>Area fraction w ∈ [0,1] of each cell inside M (adaptive average pooling); a cell's
    /// abnormality loss is (1 − w)·outside + w·inside. Default.</summary>
    Soft,
    /// <summary>Area fraction, then w &gt; 0.5 → 1 else 0.</summary>
    AreaThreshold,
    /// <summary>Any pixel of the cell inside M → 1 (max pooling).</summary>
    Any,
}

/// <summary>How an image score is read off the final map.</summary>
public enum DmddScore
{
    /// <summary>Mean of the k largest map values (k = TopK). Default.</summary>
    TopKMean,
    /// <summary>Maximum of the map (RD4AD).</summary>
    Max,
}

/// <summary>
/// DMDD options (Liu et al., ACM MM 2024). The paper's method section is not available to us:
/// every value below is this workbench's reading of the abstract (see README.md).
/// Student optimiser defaults follow RD4AD, whose student DMDD decouples.
/// </summary>
public sealed record DmddConfig : MethodConfig
{
    public double LearningRate { get; init; } = 0.005;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Width of the 1×1 expansion before the two branches, as a multiple of the teacher's channels.</summary>
    public int ExpansionFactor { get; init; } = 2;
    /// <summary>Train S_a with the abnormality loss and feed its maps on (false = ablation: normality branch only).</summary>
    public bool AbnormalityBranch { get; init; } = true;
    /// <summary>Margin m of the inside-M term max(0, cos(S_a(I_a), T(I_a)) − m).</summary>
    public double Margin { get; init; } = 0.5;
    /// <summary>Weight of the abnormality loss against the normality loss.</summary>
    public double AbnormalityWeight { get; init; } = 1.0;
    public DmddMaskDownsample MaskDownsample { get; init; } = DmddMaskDownsample.Soft;
    /// <summary>Fraction of each batch kept as plain normal images (I_a = I_n, M = 0).</summary>
    public double NormalFraction { get; init; } = 0.25;
    /// <summary>Texture folder for the synthesis (DTD layout, searched recursively); "" = procedural textures.</summary>
    public string TextureFolder { get; init; } = "";

    /// <summary>Fuse the maps with the multi-perception segmentation network (false = ablation: sum of the maps).</summary>
    public bool Segmentation { get; init; } = true;
    /// <summary>Epochs of the segmentation phase (student frozen). Ignored when JointSegmentation.</summary>
    public int SegmentationEpochs { get; init; } = 20;
    /// <summary>Train the segmentation net in the student's steps (on detached maps) instead of a second phase.</summary>
    public bool JointSegmentation { get; init; } = false;
    /// <summary>Also feed the teacher's features (each level projected to 16 channels by a 1×1 conv) to the segmentation net.</summary>
    public bool SegmentationTeacherFeatures { get; init; } = false;
    /// <summary>Channels of each dilated branch (multiple of 16: see the oneDNN note in README).</summary>
    public int SegmentationWidth { get; init; } = 32;
    public double SegmentationLearningRate { get; init; } = 0.001;
    public double FocalGamma { get; init; } = 2.0;
    public double FocalWeight { get; init; } = 1.0;
    public double DiceWeight { get; init; } = 1.0;

    public DmddScore Score { get; init; } = DmddScore.TopKMean;
    /// <summary>k of the top-k mean score, in pixels of the final map.</summary>
    public int TopK { get; init; } = 100;

    public override string MethodName => "dmdd";
    public override MethodConfig WithScaledTraining(int epochs) => this with { Epochs = epochs, SegmentationEpochs = ScaledLike(SegmentationEpochs, epochs) };
}
