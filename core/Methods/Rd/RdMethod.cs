using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Distillation;
using static TorchSharp.torch;

namespace Workbench.Methods.Rd;

/// <summary>The RD student's two trainable parts, registered under the official names "bn" and "decoder".</summary>
public sealed class RdStudent : nn.Module<Tensor[], Tensor[]>
{
    readonly OneClassBottleneck bn;
    readonly ReverseDecoder decoder;

    public RdStudent(ResNetSpec spec) : base("RdStudent")
    {
        bn = new OneClassBottleneck(spec);
        decoder = new ReverseDecoder(spec);
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor[] teacherFeatures) => decoder.forward(bn.forward(teacherFeatures));
}

/// <summary>
/// RD4AD, reverse distillation (Deng &amp; Li, CVPR 2022), following the official code
/// (hq-deng/RD4AD: resnet.py BN_layer, de_resnet.py, main.py loss_fucntion, test.py cal_anomaly_map):
/// teacher layer1..3 → OCBE → reverse decoder; loss Σ_levels mean_batch(1 − cos(flatten t, flatten s));
/// map Σ_levels upsampled (1 − cos over channels), Gaussian σ = 4; score = max.
/// </summary>
public sealed class RdMethod : TeacherStudentMethod
{
    readonly RdConfig cfg;
    readonly RdStudent student;

    public RdMethod(RdConfig config, Teacher teacher, Device device)
        : this(config, teacher, device, new RdStudent(ResNetSpec.Get(config.Teacher))) { }

    RdMethod(RdConfig config, Teacher teacher, Device device, RdStudent student)
        : base(config, teacher, student, device,
               ps => optim.Adam(ps, lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2))
    {
        cfg = config;
        this.student = student;
    }

    public override string Name => "rd";
    protected override LevelCombine Combine => cfg.Combine;

    protected override Tensor[] StudentFeatures(Tensor images, Tensor[] t) => student.forward(t);

    protected override (Tensor Loss, LossParts Parts) Loss(Tensor[] t, Tensor[] s) =>
        RdLoss.Compute(t, s, cfg.Loss);
}

/// <summary>RD4AD's distillation loss, summed over levels.</summary>
public static class RdLoss
{
    public static (Tensor Loss, LossParts Parts) Compute(Tensor[] t, Tensor[] s, RdLossForm form)
    {
        var parts = new LossParts();
        Tensor? total = null;
        for (int i = 0; i < t.Length; i++)
        {
            var level = form == RdLossForm.Flattened
                ? FeatureDistance.CosineFlattened(t[i], s[i]).mean()
                : FeatureDistance.CosinePerPosition(t[i], s[i]).mean();
            parts.Add($"level{i + 1}", level);
            total = total is null ? level : total + level;
        }
        return (total!, parts);
    }
}
