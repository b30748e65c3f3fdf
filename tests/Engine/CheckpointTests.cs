using Workbench.Engine;
using Workbench.Methods;
using Workbench.Methods.Rd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

public class CheckpointTests
{
    /// <summary>A minimal method: one linear layer, with a switch that makes saving die halfway.</summary>
    sealed class TinyMethod : IAnomalyMethod
    {
        public readonly TorchSharp.Modules.Linear Net = nn.Linear(4, 4);
        public bool DieWhileSaving;
        public string Name => "tiny";
        public MethodConfig Config { get; } = new RdConfig();
        public Device Device => CPU;
        public IReadOnlyList<TrainingPhase> Phases => new[] { new TrainingPhase("student", 1) };
        public IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context) => new Dictionary<string, double> { ["loss"] = 0 };
        public Prediction Predict(Tensor images) => throw new NotSupportedException();
        public void SaveState(BinaryWriter w)
        {
            w.Write(new byte[1000]);
            if (DieWhileSaving) throw new IOException("simulated crash while writing");
            Net.save(w);
        }
        public void LoadState(BinaryReader r) { r.ReadBytes(1000); Net.load(r); }
        public IReadOnlyDictionary<string, long> ParameterCounts() => new Dictionary<string, long>();
        public string TeacherDescription => "none";
        public void Dispose() => Net.Dispose();
    }

    [Fact]
    public void AKilledWriteLeavesThePreviousCheckpointLoadable()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = new TinyMethod();
        using (no_grad()) m.Net.weight!.fill_(1.5f);
        var history = new List<EpochRecord> { new("student", 1, new() { ["loss"] = 0.5 }, 1.0, 10.0) };
        Checkpoint.Save(path, m, new TrainingState(0, 1, history));

        using (no_grad()) m.Net.weight!.fill_(9f);
        m.DieWhileSaving = true;
        Assert.Throws<IOException>(() => Checkpoint.Save(path, m, new TrainingState(0, 2, history)));

        using var fresh = new TinyMethod();
        var state = Checkpoint.Load(path, fresh);
        Assert.Equal(1, state.Epoch);
        Assert.Equal(0.5, state.History.Single().Losses["loss"]);
        Assert.True(fresh.Net.weight!.eq(1.5f).all().item<bool>());
        Assert.IsType<RdConfig>(Checkpoint.ReadConfig(path));
    }

    [Fact]
    public void LargeWeightEntriesAreReadThroughATemporaryFileThatIsRemoved()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = new TinyMethod();
        using (no_grad()) m.Net.weight!.fill_(2.5f);
        Checkpoint.Save(path, m, new TrainingState(0, 3, new List<EpochRecord>()));
        var before = Directory.GetFiles(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-*").Length;

        using var fresh = new TinyMethod();
        var state = Checkpoint.Load(path, fresh, inMemoryLimit: 0); // every entry counts as large
        Assert.Equal(3, state.Epoch);
        Assert.True(fresh.Net.weight!.eq(2.5f).all().item<bool>());
        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-*").Length);
    }

    [Fact]
    public void MissingOrForeignCheckpointErrorsNameTheFile()
    {
        using var d = new TempDir();
        using var m = new TinyMethod();
        var missing = d.File("nope.zip");
        Assert.Contains("nope.zip", Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(missing, m)).Message);
        var junk = d.File("junk.zip");
        File.WriteAllText(junk, "not a zip");
        Assert.Contains("junk.zip", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(junk, m)).Message);
    }
}
