using Workbench.Backbones;
using Workbench.Distillation;
using static TorchSharp.torch;

namespace Workbench.Methods.Fd;

/// <summary>
/// Forward distillation, the STPM family (Wang et al., "Student-Teacher Feature Pyramid Matching",
/// BMVC 2021) and SNL's "FD" baseline: a randomly initialised student with the teacher's
/// architecture sees the same image; per level (layer1..3) the loss is the mean over positions of
/// the channel-wise distance; the map is the per-level 1 − cos, upsampled and combined.
/// </summary>
public sealed class FdMethod : TeacherStudentMethod
{
    readonly FdConfig cfg;
    readonly ResNet student;

    public FdMethod(FdConfig config, Teacher teacher, Device device)
        : this(config, teacher, device, new ResNet(ResNetSpec.Get(config.Teacher), withFc: false, stages: 3)) { }

    FdMethod(FdConfig config, Teacher teacher, Device device, ResNet student)
        : base(config, teacher, student, device,
               ps => optim.SGD(ps, config.LearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay))
    {
        cfg = config;
        this.student = student;
    }

    public override string Name => "fd";
    protected override LevelCombine Combine => cfg.Combine;

    protected override Tensor[] StudentFeatures(Tensor images, Tensor[] t) => student.Features(images, 3);

    protected override (Tensor Loss, LossParts Parts) Loss(Tensor[] t, Tensor[] s)
    {
        var parts = new LossParts();
        Tensor? total = null;
        for (int i = 0; i < t.Length; i++)
        {
            var d = cfg.Loss == FdLossForm.Cosine
                ? FeatureDistance.CosinePerPosition(t[i], s[i])
                : FeatureDistance.NormalizedL2PerPosition(t[i], s[i]);
            var level = d.mean();
            parts.Add($"level{i + 1}", level);
            total = total is null ? level : total + level;
        }
        return (total!, parts);
    }
}
