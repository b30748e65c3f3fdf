using TorchSharp;
using Workbench.Backbones;
using Workbench.Data.Synthesis;
using Workbench.Distillation;
using Workbench.Imaging;
using static TorchSharp.torch;

namespace Workbench.Methods.Dmdd;

/// <summary>The two raw maps and the final one, each [B,1,H,W] smoothed like the final map (for galleries).</summary>
public sealed class DmddMaps(Tensor normality, Tensor abnormality, Tensor fused) : IDisposable
{
    public Tensor Normality { get; } = normality;
    /// <summary>Empty ([B,1,H,W] zeros) when the abnormality branch is off.</summary>
    public Tensor Abnormality { get; } = abnormality;
    public Tensor Fused { get; } = fused;
    public void Dispose() { Normality.Dispose(); Abnormality.Dispose(); Fused.Dispose(); }
}

/// <summary>
/// DMDD, dual-modeling decouple distillation (Liu, Wang, Leng, Zhang, ACM MM 2024), as this
/// workbench reads its abstract: an RD student decoupled per level into normality and abnormality
/// features, trained on normal–anomaly pairs (texture noise), then a multi-perception segmentation
/// net that fuses the six maps. Phases: "student", then "segmentation" (unless joint or disabled).
/// </summary>
public sealed class DmddMethod : IAnomalyMethod
{
    public const string StudentPhase = "student", SegmentationPhase = "segmentation";
    readonly DmddConfig cfg;
    readonly Teacher teacher;
    readonly DecoupledStudent student;
    readonly MapFusion? fusion;
    readonly TorchSharp.Modules.OptimizerHelper studentOptimizer;
    readonly TorchSharp.Modules.OptimizerHelper? fusionOptimizer;
    readonly NormalAnomalyPairs pairs;

    public DmddMethod(DmddConfig config, Teacher teacher, Device device, ITextureSource? textures = null)
    {
        cfg = config;
        Device = device;
        this.teacher = teacher;
        var spec = ResNetSpec.Get(config.Teacher);
        student = new DecoupledStudent(spec, config.ExpansionFactor, config.AbnormalityBranch);
        student.to(device);
        studentOptimizer = optim.Adam(student.parameters(), lr: config.LearningRate, beta1: config.Beta1, beta2: config.Beta2);
        if (config.Segmentation)
        {
            int exp = spec.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
            int mapCount = config.AbnormalityBranch ? 6 : 3;
            fusion = new MapFusion(mapCount, config.SegmentationTeacherFeatures ? new[] { 64L * exp, 128L * exp, 256L * exp } : null, config.SegmentationWidth);
            fusion.to(device);
            fusionOptimizer = optim.Adam(fusion.parameters(), lr: config.SegmentationLearningRate);
        }
        pairs = new NormalAnomalyPairs(new TextureNoise(textures ?? DmddTextures.For(config.TextureFolder)));
    }

    public string Name => "dmdd";
    public MethodConfig Config => cfg;
    public Device Device { get; }
    public string TeacherDescription => teacher.Description;
    public DecoupledStudent Student => student;
    public MapFusion? Fusion => fusion;

    public IReadOnlyList<TrainingPhase> Phases => cfg.Segmentation && !cfg.JointSegmentation
        ? new[] { new TrainingPhase(StudentPhase, cfg.Epochs), new TrainingPhase(SegmentationPhase, cfg.SegmentationEpochs) }
        : new[] { new TrainingPhase(StudentPhase, cfg.Epochs) };

    /// <summary>(I_n, I_a, M): ImageNet-normalised pairs; the first NormalFraction of the batch stays plain normal.</summary>
    (Tensor Normal, Tensor Anomalous, Tensor Mask) MakePairs(Tensor images, int seed)
    {
        using var scope = NewDisposeScope();
        var raw = ImageTensors.DenormalizeImageNet(images);
        using var p = pairs.Make(raw, seed);
        long b = images.shape[0];
        long plain = Math.Min(b, (long)Math.Round(b * cfg.NormalFraction));
        var keep = arange(b, device: images.device).lt(plain).to(ScalarType.Float32).reshape(-1, 1, 1, 1);
        var anomalous = keep * p.Normal + (1 - keep) * p.Anomalous;
        var mask = (1 - keep) * p.Masks;
        return (ImageTensors.NormalizeImageNet(p.Normal).MoveToOuterDisposeScope(),
                ImageTensors.NormalizeImageNet(anomalous).MoveToOuterDisposeScope(),
                mask.MoveToOuterDisposeScope());
    }

    /// <summary>Per level 1 − cos(S_n, T) then (if present) 1 − cos(S_a, T): [B,1,h_l,w_l] each.</summary>
    public static Tensor[] LevelMaps(Tensor[] t, DecoupledFeatures f)
    {
        var maps = t.Select((ti, i) => FeatureDistance.CosinePerPosition(ti, f.Normality[i])).ToList();
        if (f.Abnormality.Length > 0)
            maps.AddRange(t.Select((ti, i) => FeatureDistance.CosinePerPosition(ti, f.Abnormality[i])));
        return maps.ToArray();
    }

    public IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context)
    {
        var parts = new Dictionary<string, double>();
        if (context.Phase == SegmentationPhase) { SegmentationStep(images, context, parts); return parts; }

        student.train();
        studentOptimizer.zero_grad();
        using (var scope = NewDisposeScope())
        {
            var (In, Ia, M) = MakePairs(images, context.Seed);
            // One teacher pass over [I_n; I_a].
            var both = teacher.Forward(cat(new[] { In, Ia }, 0));
            long b = images.shape[0];
            var tN = both.Select(x => x.narrow(0, 0, b)).ToArray();
            var tA = both.Select(x => x.narrow(0, b, b)).ToArray();
            var f = student.forward(tA);
            Tensor normality = zeros(1, device: images.device), abnormality = zeros(1, device: images.device);
            for (int i = 0; i < tA.Length; i++)
            {
                normality = normality + DmddLoss.Normality(f.Normality[i], tN[i]);
                if (student.HasAbnormality)
                {
                    var w = DmddLoss.DownsampleMask(M, tA[i].shape[2], tA[i].shape[3], cfg.MaskDownsample);
                    abnormality = abnormality + DmddLoss.Abnormality(f.Abnormality[i], tA[i], w, cfg.Margin);
                }
            }
            var loss = normality + cfg.AbnormalityWeight * abnormality;
            loss.backward();
            var terms = new LossParts();
            terms.Add("normality", normality);
            terms.Add("abnormality", abnormality);
            var (read, total) = terms.ReadWith(loss);
            foreach (var (k, v) in read) parts[k] = v;
            parts["student"] = total;
        }
        studentOptimizer.step();
        parts["loss"] = parts["student"];
        if (fusion is not null && cfg.JointSegmentation)
        {
            // Joint: the fusion net steps on the same pairs (same seed), on maps of the just-updated student, detached.
            SegmentationStep(images, context, parts);
            parts["loss"] = parts["student"] + parts["segmentation"];
        }
        return parts;
    }

    /// <summary>One step of the fusion net on maps of synthetic anomalies (student frozen).</summary>
    void SegmentationStep(Tensor images, StepContext context, Dictionary<string, double> parts)
    {
        if (fusion is null || fusionOptimizer is null) throw new InvalidOperationException("dmdd: segmentation phase without a segmentation net");
        fusion.train();
        fusionOptimizer.zero_grad();
        using (var scope = NewDisposeScope())
        {
            Tensor[] maps, tA;
            Tensor M;
            student.eval();
            using (no_grad())
            {
                var (_, Ia, mask) = MakePairs(images, context.Seed);
                tA = teacher.Forward(Ia);
                maps = LevelMaps(tA, student.forward(tA));
                M = mask;
            }
            var logits = fusion.At(images.shape[2], images.shape[3]).forward(maps, tA);
            var focal = SegmentationLoss.Focal(logits, M, cfg.FocalGamma);
            var dice = SegmentationLoss.Dice(logits, M);
            var loss = cfg.FocalWeight * focal + cfg.DiceWeight * dice;
            loss.backward();
            var terms = new LossParts();
            terms.Add("focal", focal);
            terms.Add("dice", dice);
            var (read, total) = terms.ReadWith(loss);
            foreach (var (k, v) in read) parts[k] = v;
            parts["segmentation"] = total;
            parts["loss"] = parts["segmentation"];
        }
        fusionOptimizer.step();
    }

    /// <summary>Normality, abnormality and final maps (all smoothed with σ), in eval mode.</summary>
    public DmddMaps Explain(Tensor images)
    {
        student.eval();
        fusion?.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        var t = teacher.Forward(images);
        var f = student.forward(t);
        var maps = LevelMaps(t, f);
        int levels = t.Length;
        var normality = AnomalyMaps.Combine(maps.Take(levels).ToList(), h, w, LevelCombine.Sum);
        var abnormality = maps.Length > levels ? AnomalyMaps.Combine(maps.Skip(levels).ToList(), h, w, LevelCombine.Sum) : zeros_like(normality);
        var fused = fusion is not null
            ? nn.functional.sigmoid(fusion.At(h, w).forward(maps, t))
            : normality + abnormality;
        return new DmddMaps(GaussianBlur.Apply(normality, cfg.Sigma).MoveToOuterDisposeScope(),
                            GaussianBlur.Apply(abnormality, cfg.Sigma).MoveToOuterDisposeScope(),
                            GaussianBlur.Apply(fused, cfg.Sigma).MoveToOuterDisposeScope());
    }

    public Prediction Predict(Tensor images)
    {
        using var parts = Explain(images);
        using var scope = NewDisposeScope();
        var flat = parts.Fused.flatten(1);
        var scores = cfg.Score == DmddScore.Max
            ? flat.max(1).values
            : flat.topk((int)Math.Min(Math.Max(1, cfg.TopK), flat.shape[1]), dim: 1).values.mean(new long[] { 1 });
        return new Prediction(parts.Fused.clone().MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    /// <summary>The student, and the segmentation net when there is one (a Segmentation=false variant of a
    /// full run reads only the student).</summary>
    public IReadOnlyList<TrainablePart> TrainableParts => fusion is null
        ? new[] { new TrainablePart("student", student, studentOptimizer) }
        : new[] { new TrainablePart("student", student, studentOptimizer), new TrainablePart("segmentation", fusion, fusionOptimizer!) };
    public LegacyStateOrder LegacyStateOrder => LegacyStateOrder.EachPartThenItsOptimiser;

    public IReadOnlyDictionary<string, long> ParameterCounts()
    {
        var counts = new Dictionary<string, long>
        {
            ["teacher"] = teacher.parameters().Sum(p => p.numel()),
            ["student"] = student.parameters().Sum(p => p.numel()),
        };
        if (fusion is not null) counts["segmentation"] = fusion.parameters().Sum(p => p.numel());
        return counts;
    }

    public void Dispose()
    {
        student.Dispose();
        fusion?.Dispose();
        teacher.Dispose();
    }
}
