using TorchSharp.Modules;
using Workbench.Distillation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dmdd;

/// <summary>
/// Feeds the per-level anomaly maps (optionally with the teacher's features, each level projected
/// to 16 channels by a 1×1 conv on the frozen, gradient-free features) to the
/// <see cref="MultiPerceptionSegmentation"/> net at the finest level's resolution, and returns
/// logits upsampled to the image size.
/// </summary>
public sealed class MapFusion : Module<Tensor[], Tensor[], Tensor>
{
    public const int TeacherProjection = 16;
    readonly MultiPerceptionSegmentation net;
    readonly ModuleList<Conv2d>? projections;
    long outH, outW;

    public MapFusion(int mapCount, long[]? teacherChannels, long width) : base("MapFusion")
    {
        long inputs = mapCount + (teacherChannels?.Length ?? 0) * TeacherProjection;
        net = new MultiPerceptionSegmentation(inputs, width);
        if (teacherChannels is not null)
            projections = new ModuleList<Conv2d>(teacherChannels.Select(c => Conv2d(c, TeacherProjection, 1)).ToArray());
        RegisterComponents();
    }

    /// <summary>Image size the logits are upsampled to; set before forward.</summary>
    public MapFusion At(long height, long width) { outH = height; outW = width; return this; }

    /// <param name="maps">per-level maps [B,1,h_l,w_l]; level 0 is the finest</param>
    /// <param name="teacher">teacher features per level (used only when built with teacherChannels)</param>
    public override Tensor forward(Tensor[] maps, Tensor[] teacher)
    {
        using var scope = NewDisposeScope();
        long h = maps[0].shape[2], w = maps[0].shape[3];
        var inputs = maps.Select(m => AnomalyMaps.Upsample(m.detach(), h, w)).ToList();
        if (projections is not null)
            for (int i = 0; i < teacher.Length; i++)
                inputs.Add(AnomalyMaps.Upsample(projections[i].forward(teacher[i].detach()), h, w));
        var logits = net.forward(cat(inputs.ToArray(), 1));
        return AnomalyMaps.Upsample(logits, outH, outW).MoveToOuterDisposeScope();
    }
}
