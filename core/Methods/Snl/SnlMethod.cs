using TorchSharp;
using Workbench.Backbones;
using Workbench.Distillation;
using static TorchSharp.torch;

namespace Workbench.Methods.Snl;

/// <summary>
/// SNL, structural teacher–student normality learning (Deng &amp; Li, arXiv 2402.17091), on the FD or RD
/// baseline: channel-, spatial-, intra- and inter-affinity distillation per block, CRAM after each student
/// block, and a map of channel 1 − cos plus the per-position intra-affinity distance (Fig. 3 right).
/// </summary>
public sealed class SnlMethod : TeacherStudentMethod, IInitialisedFromTrainingData
{
    readonly SnlConfig cfg;
    readonly nn.Module student;
    readonly ICramStudent cramStudent;

    public SnlMethod(SnlConfig config, Teacher teacher, Device device) : this(config, teacher, device, BuildStudent(config)) { }

    SnlMethod(SnlConfig config, Teacher teacher, Device device, nn.Module student)
        : base(config, teacher, student, device, ps => MakeOptimizer(config, ps))
    {
        cfg = config;
        this.student = student;
        cramStudent = (ICramStudent)student;
    }

    static nn.Module BuildStudent(SnlConfig c) => c.Base switch
    {
        "fd" => new SnlFdStudent(c),
        "rd" => new SnlRdStudent(c),
        _ => throw new ArgumentException($"SNL Base={c.Base}: expected fd or rd"),
    };

    static TorchSharp.Modules.OptimizerHelper MakeOptimizer(SnlConfig c, IEnumerable<TorchSharp.Modules.Parameter> ps) => c.Base == "fd"
        ? optim.SGD(ps, c.FdLearningRate, momentum: c.FdMomentum, weight_decay: c.FdWeightDecay)
        : optim.Adam(ps, lr: c.RdLearningRate, beta1: c.RdBeta1, beta2: c.RdBeta2);

    public override string Name => cfg.MethodName;

    /// <summary>Each CRAM's centres = k-means of the teacher features of its level on up to CramInitImages
    /// normal training images (CramInitPositions positions sampled), temperature calibrated on them: the
    /// student is trained toward exactly those features, so the centres start where its normal features go.</summary>
    public void InitialiseFrom(IEnumerable<Tensor> normalImages, int seed)
    {
        if (cramStudent.Crams.Count == 0) return;
        using var noGrad = no_grad();
        var g = new Generator((ulong)Runtime.StableSeed.Of(seed, "cram-init"));   // CPU: sampling happens there
        var perLevel = new List<Tensor>[3] { new(), new(), new() };
        int images = 0;
        foreach (var batch in normalImages)
        {
            using var scope = NewDisposeScope();
            var take = batch.narrow(0, 0, Math.Min(batch.shape[0], cfg.CramInitImages - images));
            var t = teacher.Forward(take);
            for (int l = 0; l < 3; l++)
                perLevel[l].Add(t[l].permute(0, 2, 3, 1).reshape(-1, t[l].shape[1]).MoveToOuterDisposeScope());
            images += (int)take.shape[0];
            if (images >= cfg.CramInitImages) break;
        }
        if (images == 0) throw new InvalidOperationException("SNL: no training images to initialise CRAM from");
        for (int i = 0; i < cramStudent.Crams.Count; i++)
        {
            using var scope = NewDisposeScope();
            var all = cat(perLevel[cramStudent.TeacherLevelOf(i)], 0);
            var sample = all.shape[0] <= cfg.CramInitPositions ? all
                : all.index_select(0, randperm(all.shape[0], generator: g).narrow(0, 0, cfg.CramInitPositions).to(all.device));
            cramStudent.Crams[i].Initialise(sample, cfg.CramAssignmentEntropy, g);
        }
        foreach (var l in perLevel) foreach (var x in l) x.Dispose();
    }
    protected override LevelCombine Combine => cfg.EffectiveCombine;
    /// <summary>The CRAM modules (empty when switched off), for inspection and tests.</summary>
    public IReadOnlyList<CentralResidualAggregation> Crams => cramStudent.Crams;

    protected override Tensor[] StudentFeatures(Tensor images, Tensor[] t) => student switch
    {
        SnlFdStudent fd => fd.forward(images),
        SnlRdStudent rd => rd.forward(t),
        _ => throw new InvalidOperationException(),
    };

    protected override (Tensor Loss, LossParts Parts) Loss(Tensor[] t, Tensor[] s) =>
        SnlLoss.Compute(t, s, cfg, cramStudent.Crams);

    /// <summary>Per level: channel 1 − cos + w_intra × intra-affinity distance, upsampled to the level size.</summary>
    protected override Tensor[] LevelMaps(Tensor[] t, Tensor[] s) => t.Select((ti, i) => SnlMap.Level(ti, s[i], cfg)).ToArray();
}

/// <summary>SNL's per-level anomaly map (Fig. 3 right): local (channel) plus structural (intra-affinity) distance.</summary>
public static class SnlMap
{
    public static Tensor Level(Tensor t, Tensor s, SnlConfig cfg)
    {
        using var scope = NewDisposeScope();
        var map = FeatureDistance.CosinePerPosition(t, s);
        if (cfg.MapIntraWeight != 0)
        {
            var intra = StructuralDistance.IntraMap(t, s, cfg.IntraCap, cfg.IntraChunk, cfg.IntraPenalty);
            if (intra.shape[2] != t.shape[2] || intra.shape[3] != t.shape[3])
                intra = AnomalyMaps.Upsample(intra, t.shape[2], t.shape[3]);
            map = map + cfg.MapIntraWeight * intra;
        }
        return map.MoveToOuterDisposeScope();
    }
}
