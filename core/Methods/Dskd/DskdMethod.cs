using TorchSharp;
using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Data.Synthesis;
using Workbench.Distillation;
using Workbench.Imaging;
using Workbench.Methods.Rd;
using static TorchSharp.torch;

namespace Workbench.Methods.Dskd;

/// <summary>
/// DSKD, dual-student knowledge distillation (Complex &amp; Intelligent Systems 2024): a frozen teacher E;
/// a forward student D_f with the teacher's architecture fed the image; a reverse student D_r (RD4AD's
/// bottleneck + a decoder with skip-attention, Eq. 2); both trained with 1 − cos (Eq. 1) on E1..E3.
/// Their six level maps are fused by a small net trained with Dice (Eq. 4) on texture-noise
/// anomalies (Eq. 3), by default after the students (phases "students", "fusion").
/// </summary>
public sealed class DskdMethod : IAnomalyMethod
{
    public const string StudentsPhase = "students", FusionPhase = "fusion", JointPhase = "joint";

    readonly DskdConfig cfg;
    readonly Teacher teacher;
    readonly ResNet forwardStudent;
    readonly ReverseStudent reverseStudent;
    readonly FusionNet fusion;
    readonly OptimizerHelper forwardOptimizer, reverseOptimizer, fusionOptimizer;
    readonly Lazy<TextureNoise> noise;

    public DskdMethod(DskdConfig config, Teacher teacher, Device device)
    {
        cfg = config;
        Device = device;
        this.teacher = teacher;
        var spec = ResNetSpec.Get(config.Teacher);
        // Same architecture as the teacher up to layer3 (the levels used); layer4 would never get a gradient.
        forwardStudent = new ResNet(spec, withFc: false, stages: 3);
        reverseStudent = new ReverseStudent(spec, config);
        fusion = new FusionNet(config.FusionForm, config.FusionHidden);
        forwardStudent.to(device);
        reverseStudent.to(device);
        fusion.to(device);
        forwardOptimizer = optim.Adam(forwardStudent.parameters(), lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2);
        reverseOptimizer = optim.Adam(reverseStudent.parameters(), lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2);
        fusionOptimizer = optim.Adam(fusion.parameters(), lr: config.FusionLearningRate, beta1: config.Beta1, beta2: config.Beta2);
        noise = new(() => new TextureNoise(
            string.IsNullOrWhiteSpace(config.TextureFolder) ? new ProceduralTextureSource() : new FolderTextureSource(config.TextureFolder),
            new TextureNoiseOptions(config.BetaMin, config.BetaMax)));
    }

    public string Name => "dskd";
    public MethodConfig Config => cfg;
    public Device Device { get; }
    public string TeacherDescription => teacher.Description;
    public Teacher TeacherNetwork => teacher;
    public ResNet ForwardStudent => forwardStudent;
    public ReverseStudent ReverseStudent => reverseStudent;
    public FusionNet Fusion => fusion;

    bool UsesForward => cfg.Variant != DskdVariant.Reverse;
    bool UsesReverse => cfg.Variant != DskdVariant.Forward;

    public IReadOnlyList<TrainingPhase> Phases => cfg.Variant != DskdVariant.Learned
        ? new[] { new TrainingPhase(StudentsPhase, cfg.Epochs) }
        : cfg.FusionSchedule == DskdFusionSchedule.Joint
            ? new[] { new TrainingPhase(JointPhase, cfg.Epochs) }
            : new[] { new TrainingPhase(StudentsPhase, cfg.Epochs), new TrainingPhase(FusionPhase, 0, cfg.FusionSteps) };

    /// <summary>[stem, E1, E2, E3]; the stem is only computed when the Shallower skip reads it.</summary>
    Tensor[] TeacherFeatures(Tensor images)
    {
        var t = teacher.Forward(images);
        var stem = cfg.SkipSource == DskdSkipSource.Shallower ? TeacherStem.Forward(teacher, images) : empty(0);
        return new[] { stem }.Concat(t).ToArray();
    }

    Tensor DistillationLoss(Tensor[] t, Tensor[] s, string prefix, LossParts parts)
    {
        Tensor? total = null;
        for (int i = 0; i < s.Length; i++)
        {
            var level = cfg.Loss == RdLossForm.Flattened
                ? FeatureDistance.CosineFlattened(t[i], s[i]).mean()
                : FeatureDistance.CosinePerPosition(t[i], s[i]).mean();
            parts.Add($"{prefix}{i + 1}", level);
            total = total is null ? level : total + level;
        }
        return total!;
    }

    public IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context)
    {
        var parts = new Dictionary<string, double>();
        double total = 0;
        bool students = context.Phase is StudentsPhase or JointPhase;
        bool fuse = context.Phase is FusionPhase or JointPhase;
        if (!students && !fuse) throw new ArgumentException($"dskd has no phase '{context.Phase}'");
        if (students) total += StudentStep(images, parts);
        if (fuse) total += FusionStep(images, context.Seed, parts);
        parts["loss"] = total;
        return parts;
    }

    double StudentStep(Tensor images, Dictionary<string, double> parts)
    {
        forwardStudent.train(UsesForward);
        reverseStudent.train(UsesReverse);
        forwardOptimizer.zero_grad();
        reverseOptimizer.zero_grad();
        double value;
        using (var scope = NewDisposeScope())
        {
            var t = TeacherFeatures(images);
            var e = t[1..];
            var levels = new LossParts();
            Tensor? loss = null;
            if (UsesForward) loss = DistillationLoss(e, forwardStudent.Features(images, 3), "forward", levels);
            if (UsesReverse)
            {
                var r = DistillationLoss(e, reverseStudent.forward(t), "reverse", levels);
                loss = loss is null ? r : loss + r;
            }
            loss!.backward();
            (var read, value) = levels.ReadWith(loss);
            foreach (var (k, v) in read) parts[k] = v;
        }
        if (UsesForward) forwardOptimizer.step();
        if (UsesReverse) reverseOptimizer.step();
        return value;
    }

    double FusionStep(Tensor images, int seed, Dictionary<string, double> parts)
    {
        double value;
        using (var scope = NewDisposeScope())
        {
            using var synth = Synthesise(images, seed);
            value = FusionStepOn(SixMaps(ImageTensors.NormalizeImageNet(synth.Images)), synth.Masks);
        }
        parts["dice"] = value;
        return value;
    }

    /// <summary>Eq. 3 texture-noise anomalies for a batch of normalised images: the anomalous images in
    /// [0,1] and their masks (the seed fixes mask, texture and β).</summary>
    public SynthesisResult Synthesise(Tensor images, int seed)
    {
        using var scope = NewDisposeScope();
        var raw = ImageTensors.DenormalizeImageNet(images).clamp(0, 1);
        var synth = noise.Value.Apply(raw, seed);
        synth.Images.MoveToOuterDisposeScope();
        synth.Masks.MoveToOuterDisposeScope();
        return synth;
    }

    /// <summary>One fusion-net step (Dice, Eq. 4) on precomputed six maps [B,6,H,W] and masks [B,1,H,W];
    /// returns the loss. Lets a study train several fusion nets on the very same maps.</summary>
    public double FusionStepOn(Tensor sixMaps, Tensor masks)
    {
        fusion.train();
        fusionOptimizer.zero_grad();
        double value;
        using (var scope = NewDisposeScope())
        {
            var loss = DiceLoss.Compute(fusion.forward(sixMaps), masks);
            loss.backward();
            value = loss.item<float>();
        }
        fusionOptimizer.step();
        return value;
    }

    /// <summary>[B,6,H,W]: forward levels 1..3 then reverse levels 1..3, each 1 − cos upsampled to the image
    /// size, from the students in eval mode and without gradients (the fusion net never trains them).</summary>
    public Tensor SixMaps(Tensor images)
    {
        bool fTrain = forwardStudent.training, rTrain = reverseStudent.training;
        forwardStudent.eval();
        reverseStudent.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (f, r) = LevelMaps(images);
            var all = f.Concat(r).Select(m => AnomalyMaps.Upsample(m, images.shape[2], images.shape[3])).ToArray();
            return cat(all, 1).MoveToOuterDisposeScope();
        }
        finally
        {
            forwardStudent.train(fTrain);
            reverseStudent.train(rTrain);
        }
    }

    (Tensor[] Forward, Tensor[] Reverse) LevelMaps(Tensor images)
    {
        var t = TeacherFeatures(images);
        var e = t[1..];
        var f = UsesForward ? forwardStudent.Features(images, 3).Select((s, i) => FeatureDistance.CosinePerPosition(e[i], s)).ToArray() : Array.Empty<Tensor>();
        var r = UsesReverse ? reverseStudent.forward(t).Select((s, i) => FeatureDistance.CosinePerPosition(e[i], s)).ToArray() : Array.Empty<Tensor>();
        return (f, r);
    }

    public Prediction Predict(Tensor images)
    {
        forwardStudent.eval();
        reverseStudent.eval();
        fusion.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        Tensor combined;
        if (cfg.Variant == DskdVariant.Learned)
            combined = fusion.forward(SixMaps(images));
        else
        {
            var (f, r) = LevelMaps(images);
            combined = cfg.Variant switch
            {
                DskdVariant.Forward => AnomalyMaps.Combine(f, h, w, cfg.Combine),
                DskdVariant.Reverse => AnomalyMaps.Combine(r, h, w, cfg.Combine),
                _ => (cfg.ManualForwardWeight * AnomalyMaps.Combine(f, h, w, cfg.Combine)
                      + cfg.ManualReverseWeight * AnomalyMaps.Combine(r, h, w, cfg.Combine))
                     / (cfg.ManualForwardWeight + cfg.ManualReverseWeight),
            };
        }
        var (maps, scores) = AnomalyMaps.Finish(combined, cfg.Sigma);
        return new Prediction(maps.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    /// <summary>All three parts whatever the Variant: a test-time variant of a Learned run reads them all.</summary>
    public IReadOnlyList<TrainablePart> TrainableParts => new[]
    {
        new TrainablePart("forward_student", forwardStudent, forwardOptimizer),
        new TrainablePart("reverse_student", reverseStudent, reverseOptimizer),
        new TrainablePart("fusion", fusion, fusionOptimizer),
    };
    public LegacyStateOrder LegacyStateOrder => LegacyStateOrder.AllWeightsThenAllOptimisers;

    public IReadOnlyDictionary<string, long> ParameterCounts() => new Dictionary<string, long>
    {
        ["teacher"] = teacher.parameters().Sum(p => p.numel()),
        ["forward_student"] = forwardStudent.parameters().Sum(p => p.numel()),
        ["reverse_student"] = reverseStudent.parameters().Sum(p => p.numel()),
        ["reverse_bottleneck"] = reverseStudent.BottleneckParameters,
        ["reverse_skip_attention"] = reverseStudent.SkipParameters,
        ["fusion"] = fusion.parameters().Sum(p => p.numel()),
    };

    public void Dispose()
    {
        forwardStudent.Dispose();
        reverseStudent.Dispose();
        fusion.Dispose();
        teacher.Dispose();
    }
}
