using Workbench.Engine;
using Workbench.Methods;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

/// <summary>`bench train`'s timing: every clock read follows a device wait, and train steps get their own seeds.</summary>
public class TrainingThroughputTests
{
    /// <summary>Records what the benchmark asks of it; does no work.</summary>
    sealed class RecordingMethod(List<string> events) : IAnomalyMethod
    {
        public string Name => "recording";
        public MethodConfig Config => throw new NotSupportedException();
        public Device Device => CPU;
        public IReadOnlyList<TrainingPhase> Phases { get; } = new[] { new TrainingPhase("student", 1) };
        public IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context)
        {
            events.Add($"train {context.Phase} step {context.Step} seed {context.Seed}");
            return new Dictionary<string, double> { ["loss"] = 0 };
        }
        public Prediction Predict(Tensor images)
        {
            events.Add("predict");
            return new Prediction(zeros(images.shape[0], 1, 2, 2), zeros(images.shape[0]));
        }
        public IReadOnlyList<TrainablePart> TrainableParts => [];
        public LegacyStateOrder LegacyStateOrder => LegacyStateOrder.EachPartThenItsOptimiser;
        public IReadOnlyDictionary<string, long> ParameterCounts() => new Dictionary<string, long>();
        public string TeacherDescription => "none";
        public void Dispose() { }
    }

    [Fact]
    public void EveryTimedLoopIsBracketedByDeviceWaitsAndStepsHaveDistinctSeeds()
    {
        var events = new List<string>();
        using var method = new RecordingMethod(events);
        using var x = zeros(4, 3, 8, 8);
        var r = TrainingThroughput.Measure(method, x, steps: 2, wait: d => events.Add($"wait {d.type}"));
        Assert.Equal(new[]
        {
            "train student step 0 seed 0", "wait CPU",
            "train student step 1 seed 1", "train student step 2 seed 2", "wait CPU",
            "predict", "wait CPU",
            "predict", "predict", "wait CPU",
        }, events);
        Assert.True(r.TrainImagesPerSecond > 0 && r.InferImagesPerSecond > 0);
    }

    [Fact]
    public void ZeroStepsIsRejected()
    {
        using var method = new RecordingMethod(new List<string>());
        using var x = zeros(1, 3, 8, 8);
        Assert.Throws<ArgumentException>(() => TrainingThroughput.Measure(method, x, steps: 0));
    }
}
