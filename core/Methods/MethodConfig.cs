using System.Text.Json.Serialization;
using Workbench.Methods.Dmdd;
using Workbench.Methods.Dskd;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;
using Workbench.Methods.Snl;

namespace Workbench.Methods;

/// <summary>
/// Typed per-method options. Serialised with a "method" discriminator so a run's manifest holds the
/// full configuration and a checkpoint can rebuild its model. Each method adds one line here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "method")]
[JsonDerivedType(typeof(FdConfig), "fd")]
[JsonDerivedType(typeof(RdConfig), "rd")]
[JsonDerivedType(typeof(DmddConfig), "dmdd")]
[JsonDerivedType(typeof(SnlConfig), "snl")]
[JsonDerivedType(typeof(DskdConfig), "dskd")]
public abstract record MethodConfig
{
    /// <summary>Teacher architecture: resnet18 | resnet34 | resnet50 | wide_resnet50_2.</summary>
    public string Teacher { get; init; } = "resnet18";
    /// <summary>Path to .pth/.safetensors weights, or "random" (labelled as not pretrained everywhere).</summary>
    public string TeacherWeights { get; init; } = "random";
    /// <summary>Gaussian σ for the final map (RD4AD: 4; 0 disables).</summary>
    public double Sigma { get; init; } = 4.0;
    /// <summary>Epochs of the main phase.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>The method's short name as used on the command line.</summary>
    [JsonIgnore] public abstract string MethodName { get; }

    /// <summary>This config trained for <paramref name="epochs"/> main-phase epochs, with any later phase
    /// (a fusion or segmentation net) lengthened by the same factor, so every phase keeps its share of
    /// the steps (experiment 1's equal-steps runs).</summary>
    public virtual MethodConfig WithScaledTraining(int epochs) => this with { Epochs = epochs };

    /// <summary>A later phase's epochs scaled like the main phase going from Epochs to <paramref name="epochs"/>.</summary>
    protected int ScaledLike(int phaseEpochs, int epochs) => (int)Math.Round((double)phaseEpochs * epochs / Epochs);
}
