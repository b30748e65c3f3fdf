using static TorchSharp.torch;

namespace Workbench.Methods;

/// <summary>Anomaly maps [B,1,H,W] at the input size and image scores [B]; owns both tensors.</summary>
public sealed class Prediction(Tensor maps, Tensor scores) : IDisposable
{
    public Tensor Maps { get; } = maps;
    public Tensor Scores { get; } = scores;
    public void Dispose() { Maps.Dispose(); Scores.Dispose(); }
}

/// <summary>A named training phase (e.g. DSKD trains the students, then the fusion net) and its length:
/// <paramref name="Epochs"/>, or, when <paramref name="Steps"/> &gt; 0, that many optimisation steps rounded up
/// to whole epochs (so a small dataset still gets the steps a phase needs).</summary>
public sealed record TrainingPhase(string Name, int Epochs, int Steps = 0)
{
    /// <summary>Epochs this phase runs for, given the steps in one epoch.</summary>
    public int EpochsFor(int stepsPerEpoch) => Steps > 0 ? (Steps + stepsPerEpoch - 1) / Math.Max(1, stepsPerEpoch) : Epochs;
}

/// <summary>What a train step may need besides the images: where it is, and a seed for any synthesis,
/// distinct for every (run seed, phase, epoch, step) (Runtime/StableSeed); use it as is.</summary>
public sealed record StepContext(string Phase, int Epoch, int Step, int Seed);

/// <summary>
/// The one contract every method implements. A method sees tensors only: never files, the CLI
/// or reporting. Images arrive ImageNet-normalised, [B,3,H,W], on the method's device.
/// </summary>
public interface IAnomalyMethod : IDisposable
{
    string Name { get; }
    MethodConfig Config { get; }
    Device Device { get; }

    /// <summary>The phases the trainer runs, in order.</summary>
    IReadOnlyList<TrainingPhase> Phases { get; }

    /// <summary>One optimisation step on normal training images; returns named losses (incl. "loss").</summary>
    IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context);

    /// <summary>Anomaly maps and image scores for a batch, in eval mode without gradients.</summary>
    Prediction Predict(Tensor images);

    /// <summary>What a checkpoint stores, in a fixed order: each trainable module with its optimiser.</summary>
    IReadOnlyList<TrainablePart> TrainableParts { get; }

    /// <summary>The order the pre-split checkpoint layout (method.bin) held <see cref="TrainableParts"/> in.</summary>
    LegacyStateOrder LegacyStateOrder { get; }

    /// <summary>Parameter counts per part, e.g. {"teacher": …, "student": …}.</summary>
    IReadOnlyDictionary<string, long> ParameterCounts();

    /// <summary>One line on the teacher (pretrained or RANDOM), printed in every result.</summary>
    string TeacherDescription { get; }
}

/// <summary>
/// A method that sets some of its weights from the normal training images before the first step (SNL's
/// CRAM centres and temperature). The trainer calls it once per run, never on resume (the checkpoint holds
/// what it set).
/// </summary>
public interface IInitialisedFromTrainingData
{
    /// <param name="normalImages">batches of normalised training images on the method's device, valid
    /// until the next batch is drawn</param>
    /// <param name="seed">the run's seed, for any sampling</param>
    void InitialiseFrom(IEnumerable<Tensor> normalImages, int seed);
}
