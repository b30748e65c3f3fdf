using TorchSharp;
using Workbench.Backbones;
using Workbench.Distillation;
using static TorchSharp.torch;

namespace Workbench.Methods;

/// <summary>
/// What FD, RD and the methods built on them share: a frozen teacher, a trainable student module,
/// one optimiser, per-level 1 − cos anomaly maps combined and smoothed, and checkpoint state.
/// Subclasses say how the student sees the image and what the loss is.
/// </summary>
public abstract class TeacherStudentMethod : IAnomalyMethod
{
    protected readonly Teacher teacher;
    protected readonly nn.Module trainable;
    protected readonly TorchSharp.Modules.OptimizerHelper optimizer;

    protected TeacherStudentMethod(MethodConfig config, Teacher teacher, nn.Module trainable, Device device,
                                   Func<IEnumerable<TorchSharp.Modules.Parameter>, TorchSharp.Modules.OptimizerHelper> makeOptimizer)
    {
        Config = config;
        Device = device;
        this.teacher = teacher;
        this.trainable = trainable;
        trainable.to(device);
        optimizer = makeOptimizer(trainable.parameters());
    }

    public abstract string Name { get; }
    public MethodConfig Config { get; }
    public Device Device { get; }
    public virtual IReadOnlyList<TrainingPhase> Phases => new[] { new TrainingPhase("student", Config.Epochs) };
    public string TeacherDescription => teacher.Description;
    /// <summary>The frozen teacher (for inspection and tests).</summary>
    public Teacher TeacherNetwork => teacher;
    /// <summary>Everything this method trains (for inspection and tests).</summary>
    public nn.Module Student => trainable;

    /// <summary>Student features aligned with the teacher's levels.</summary>
    protected abstract Tensor[] StudentFeatures(Tensor images, Tensor[] teacherFeatures);

    /// <summary>Scalar training loss plus named parts (without "loss"), read after the backward pass.</summary>
    protected abstract (Tensor Loss, LossParts Parts) Loss(Tensor[] teacherFeatures, Tensor[] studentFeatures);

    /// <summary>How per-level maps are combined (RD: sum; STPM: product).</summary>
    protected abstract LevelCombine Combine { get; }

    /// <summary>Per-level anomaly maps [B,1,h,w]; SNL adds structural terms here.</summary>
    protected virtual Tensor[] LevelMaps(Tensor[] t, Tensor[] s) =>
        t.Select((ti, i) => FeatureDistance.CosinePerPosition(ti, s[i])).ToArray();

    public virtual IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context)
    {
        trainable.train();
        optimizer.zero_grad();
        Dictionary<string, double> parts;
        double total;
        using (var scope = NewDisposeScope())
        {
            var t = teacher.Forward(images);
            var s = StudentFeatures(images, t);
            var (loss, p) = Loss(t, s);
            loss.backward();
            (parts, total) = p.ReadWith(loss);
        }
        optimizer.step();
        parts["loss"] = total;
        return parts;
    }

    public virtual Prediction Predict(Tensor images)
    {
        trainable.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var t = teacher.Forward(images);
        var s = StudentFeatures(images, t);
        var levels = LevelMaps(t, s);
        var combined = AnomalyMaps.Combine(levels, images.shape[2], images.shape[3], Combine);
        var (maps, scores) = AnomalyMaps.Finish(combined, Config.Sigma);
        return new Prediction(maps.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    public IReadOnlyList<TrainablePart> TrainableParts => new[] { new TrainablePart("student", trainable, optimizer) };
    public LegacyStateOrder LegacyStateOrder => LegacyStateOrder.EachPartThenItsOptimiser;

    public virtual IReadOnlyDictionary<string, long> ParameterCounts() => new Dictionary<string, long>
    {
        ["teacher"] = teacher.parameters().Sum(p => p.numel()),
        ["student"] = trainable.parameters().Sum(p => p.numel()),
    };

    public virtual void Dispose()
    {
        trainable.Dispose();
        teacher.Dispose();
    }
}
