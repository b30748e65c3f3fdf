using Workbench.Distillation;

namespace Workbench.Methods.Snl;

/// <summary>Spatial-wise distance per channel between teacher and student H·W maps.</summary>
public enum SpatialForm
{
    /// <summary>1 − cos between the H·W spatial vectors of each channel (workbench default).</summary>
    Cosine,
    /// <summary>KL(softmax_T ‖ softmax_S) of each channel's spatial distribution (a public re-implementation's reading).</summary>
    SoftmaxKl,
}

/// <summary>Elementwise penalty on affinity differences.</summary>
public enum AffinityPenalty { Absolute, Squared }

/// <summary>What the inter-affinity compares per image: the globally pooled C-vector or the flattened C·H·W vector.</summary>
public enum InterFeature { GlobalAverage, Flattened }

/// <summary>How the channel-wise loss is formed: per position (SNL reading) or RD4AD's flattened form.</summary>
public enum ChannelForm { PerPosition, Flattened }

/// <summary>
/// SNL (Deng &amp; Li, arXiv 2402.17091) on an FD or RD baseline. Everything the paper does not state is a
/// named option here (see README.md): loss weights, each term's form, the CRAM, the map. The optimiser
/// follows the chosen baseline's defaults (FD: STPM's SGD; RD: RD4AD's Adam).
/// </summary>
public sealed record SnlConfig : MethodConfig
{
    /// <summary>Baseline the structure is added to: "fd" (forward, STPM) or "rd" (reverse distillation).</summary>
    public string Base { get; init; } = "rd";

    // Training loss L = L_ch + λs L_sp + λintra L_intra + λinter L_inter (Fig. 3; weights are our reading).
    public bool UseChannel { get; init; } = true;
    /// <summary>null (default) = the baseline's own form (FD: per position, which is STPM's loss; RD: flattened,
    /// RD4AD's code), so SNL's components are added to exactly the baseline's training.</summary>
    public ChannelForm? ChannelForm { get; init; } = null;
    public double SpatialWeight { get; init; } = 1.0;
    public SpatialForm SpatialForm { get; init; } = SpatialForm.Cosine;
    /// <summary>Softmax temperature of the SoftmaxKl spatial form.</summary>
    public double SpatialTemperature { get; init; } = 1.0;
    public double IntraWeight { get; init; } = 1.0;
    public AffinityPenalty IntraPenalty { get; init; } = AffinityPenalty.Absolute;
    /// <summary>Features are average-pooled to at most Cap×Cap positions before the HW×HW affinity.</summary>
    public int IntraCap { get; init; } = 32;
    /// <summary>Rows of the affinity matrix formed at once (bounds the forward's peak memory).</summary>
    public int IntraChunk { get; init; } = 256;
    public double InterWeight { get; init; } = 1.0;
    public InterFeature InterFeature { get; init; } = InterFeature.GlobalAverage;

    // CRAM after each student block (Fig. 4; the module's internals are our reading).
    public bool UseCram { get; init; } = true;
    public int CramCentres { get; init; } = 32;
    /// <summary>Mean assignment entropy (nats) the CRAM temperature is calibrated to on the normal training
    /// features at initialisation (1 ≈ 2.7 effective centres; log K would be uniform).</summary>
    public double CramAssignmentEntropy { get; init; } = 1.0;
    /// <summary>Training images whose teacher features initialise the centres (k-means) and the temperature.</summary>
    public int CramInitImages { get; init; } = 64;
    /// <summary>Feature positions per level, sampled from those images, that k-means runs on.</summary>
    public int CramInitPositions { get; init; } = 16384;
    public double CramAlphaInit { get; init; } = 0.1;
    /// <summary>Weight of the centre-diversity term (mean squared off-diagonal cosine between centres); 0 disables.</summary>
    public double CramDiversityWeight { get; init; } = 0.01;

    // Anomaly map (Fig. 3 right): channel 1 − cos + w_intra × per-position intra-affinity distance.
    public double MapIntraWeight { get; init; } = 1.0;
    /// <summary>null (default) = the baseline's own combination (FD: product, STPM; RD: sum, RD4AD).</summary>
    public LevelCombine? Combine { get; init; } = null;

    /// <summary>The channel-loss form in effect: the option, else the baseline's.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public ChannelForm EffectiveChannelForm => ChannelForm ?? (Base == "rd" ? Snl.ChannelForm.Flattened : Snl.ChannelForm.PerPosition);
    /// <summary>The level combination in effect: the option, else the baseline's.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public LevelCombine EffectiveCombine => Combine ?? (Base == "rd" ? LevelCombine.Sum : LevelCombine.Product);

    // Optimisers of the baselines (FD: STPM; RD: RD4AD official).
    public double FdLearningRate { get; init; } = 0.4;
    public double FdMomentum { get; init; } = 0.9;
    public double FdWeightDecay { get; init; } = 1e-4;
    public double RdLearningRate { get; init; } = 0.005;
    public double RdBeta1 { get; init; } = 0.5;
    public double RdBeta2 { get; init; } = 0.999;

    public override string MethodName => $"snl-{Base}";
}
