using System.IO.Compression;
using System.Text.Json;
using TorchSharp.Modules;
using Workbench.Engine;
using Workbench.Methods;
using Workbench.Methods.Rd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

public class CheckpointTests
{
    /// <summary>A 4×4 weight with a BatchNorm-like buffer; saving dies when <see cref="Die"/> is set.</summary>
    sealed class TinyModule : nn.Module
    {
        readonly Parameter weight = new(zeros(4, 4));
        readonly Tensor calibrated = zeros(1);
        public bool Die;
        public TinyModule() : base("Tiny")
        {
            register_buffer("calibrated", calibrated);
            RegisterComponents();
        }
        public Parameter Weight => weight;
        public Tensor Calibrated => calibrated;
        public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
            Die ? throw new IOException("simulated crash while writing") : base.state_dict(destination, prefix);
    }

    /// <summary>A minimal method: two parts ("a", "b"), each a <see cref="TinyModule"/> stepped by its own Adam.</summary>
    sealed class TinyMethod : IAnomalyMethod
    {
        public readonly TinyModule A = new(), B = new();
        readonly OptimizerHelper optA, optB;
        public TinyMethod(LegacyStateOrder order = LegacyStateOrder.EachPartThenItsOptimiser, bool withB = true)
        {
            optA = optim.Adam(A.parameters(), lr: 0.1);
            optB = optim.Adam(B.parameters(), lr: 0.1);
            LegacyStateOrder = order;
            TrainableParts = withB
                ? new[] { new TrainablePart("a", A, optA), new TrainablePart("b", B, optB) }
                : new[] { new TrainablePart("a", A, optA) };
        }
        public string Name => "tiny";
        public MethodConfig Config { get; } = new RdConfig();
        public Device Device => CPU;
        public IReadOnlyList<TrainingPhase> Phases => new[] { new TrainingPhase("student", 1) };
        /// <summary>One Adam step on each part toward a fixed target (Adam's moments make the next step depend on this one).</summary>
        public IReadOnlyDictionary<string, double> TrainStep(Tensor images, StepContext context)
        {
            foreach (var (m, o) in new[] { (A, optA), (B, optB) })
            {
                o.zero_grad();
                using var scope = NewDisposeScope();
                (m.Weight - arange(16, dtype: ScalarType.Float32).reshape(4, 4)).square().sum().backward();
                o.step();
            }
            return new Dictionary<string, double> { ["loss"] = 0 };
        }
        public Prediction Predict(Tensor images) => throw new NotSupportedException();
        public IReadOnlyList<TrainablePart> TrainableParts { get; }
        public LegacyStateOrder LegacyStateOrder { get; }
        public IReadOnlyDictionary<string, long> ParameterCounts() => new Dictionary<string, long>();
        public string TeacherDescription => "none";
        public void Dispose() { A.Dispose(); B.Dispose(); }
    }

    static readonly StepContext Step = new("student", 0, 0, 0);

    static TinyMethod Trained(LegacyStateOrder order = LegacyStateOrder.EachPartThenItsOptimiser)
    {
        TorchRuntime.EnsureLoaded();
        var m = new TinyMethod(order);
        m.TrainStep(empty(0), Step);
        using (no_grad()) { m.A.Calibrated.fill_(3f); m.B.Calibrated.fill_(4f); }
        return m;
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Both hold the same weights and buffers, and one more step keeps them equal (same optimiser state).</summary>
    static void AssertSameTrainingState(TinyMethod expected, TinyMethod actual)
    {
        Assert.True(Same(expected.A.Weight, actual.A.Weight) && Same(expected.B.Weight, actual.B.Weight), "weights differ");
        Assert.True(Same(expected.A.Calibrated, actual.A.Calibrated) && Same(expected.B.Calibrated, actual.B.Calibrated), "buffers differ");
        expected.TrainStep(empty(0), Step);
        actual.TrainStep(empty(0), Step);
        Assert.True(Same(expected.A.Weight, actual.A.Weight) && Same(expected.B.Weight, actual.B.Weight), "the next step differs: optimiser state not restored");
    }

    [Fact]
    public void AKilledWriteLeavesThePreviousCheckpointLoadable()
    {
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = Trained();
        var history = new List<EpochRecord> { new("student", 1, new() { ["loss"] = 0.5 }, 1.0, 10.0) };
        Checkpoint.Save(path, m, new TrainingState(0, 1, history));
        var saved = m.A.Weight.clone();

        m.TrainStep(empty(0), Step);
        m.B.Die = true;   // part "a" is written, then the write dies in part "b"
        Assert.Throws<IOException>(() => Checkpoint.Save(path, m, new TrainingState(0, 2, history)));

        using var fresh = new TinyMethod();
        var state = Checkpoint.Load(path, fresh);
        Assert.Equal(1, state.Epoch);
        Assert.Equal(0.5, state.History.Single().Losses["loss"]);
        Assert.True(Same(saved, fresh.A.Weight));
        Assert.IsType<RdConfig>(Checkpoint.ReadConfig(path));
    }

    [Fact]
    public void ACheckpointRestoresWeightsBuffersAndOptimiserState()
    {
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = Trained();
        Checkpoint.Save(path, m, new TrainingState(0, 1, new List<EpochRecord>()));
        using var fresh = new TinyMethod();
        Checkpoint.Load(path, fresh);
        Assert.True(Checkpoint.HoldsOptimiserState(path));
        AssertSameTrainingState(m, fresh);
    }

    [Fact]
    public void AWeightsOnlyCheckpointRestoresWeightsAndBuffersButNoOptimiserState()
    {
        using var d = new TempDir();
        string full = d.File("full.zip"), weights = d.File("weights.zip");
        using var m = Trained();
        Checkpoint.Save(full, m, new TrainingState(0, 1, new List<EpochRecord>()));
        Checkpoint.SaveWeightsOnly(weights, m, new TrainingState(0, 1, new List<EpochRecord>()));
        Assert.False(Checkpoint.HoldsOptimiserState(weights));
        using (var zip = ZipFile.OpenRead(weights))
            Assert.Equal(new[] { "config.json", "state.json", "weights/a.bin", "weights/b.bin" }, zip.Entries.Select(e => e.FullName).Order());
        Assert.True(new FileInfo(weights).Length < new FileInfo(full).Length);

        using var fresh = new TinyMethod();
        Checkpoint.Load(weights, fresh);
        Assert.True(Same(m.A.Weight, fresh.A.Weight) && Same(m.B.Weight, fresh.B.Weight));
        Assert.True(Same(m.B.Calibrated, fresh.B.Calibrated));
        // fresh Adam moments: the next step is not the one the full checkpoint would give
        m.TrainStep(empty(0), Step);
        fresh.TrainStep(empty(0), Step);
        Assert.False(Same(m.A.Weight, fresh.A.Weight));
    }

    [Fact]
    public void PartsTheMethodLacksAreIgnoredAndPartsTheCheckpointLacksAreNamed()
    {
        using var d = new TempDir();
        var two = d.File("two.zip");
        var one = d.File("one.zip");
        using var m = Trained();
        Checkpoint.Save(two, m, new TrainingState(0, 1, new List<EpochRecord>()));
        using var onlyA = new TinyMethod(withB: false);
        Checkpoint.Load(two, onlyA);
        Assert.True(Same(m.A.Weight, onlyA.A.Weight));

        Checkpoint.Save(one, onlyA, new TrainingState(0, 1, new List<EpochRecord>()));
        using var both = new TinyMethod();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(one, both));
        Assert.Contains("one.zip", e.Message);
        Assert.Contains("'b'", e.Message);
    }

    /// <summary>The layout before the split: state.json, config.json and one method.bin, written here as the
    /// old SaveState methods wrote it (module.save / optimiser.save_state_dict in the method's order).</summary>
    static void WriteLegacy(string path, TinyMethod m, TrainingState state, Action<BinaryWriter> oldSaveState)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("state.json").Open()) JsonSerializer.Serialize(s, state);
        using (var s = zip.CreateEntry("config.json").Open()) JsonSerializer.Serialize(s, m.Config);
        using (var s = zip.CreateEntry("method.bin").Open())
        using (var w = new BinaryWriter(s))
            oldSaveState(w);
    }

    [Theory]
    [InlineData(LegacyStateOrder.EachPartThenItsOptimiser)]
    [InlineData(LegacyStateOrder.AllWeightsThenAllOptimisers)]
    public void APreSplitCheckpointLoadsInTheMethodsLegacyOrder(LegacyStateOrder order)
    {
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = Trained(order);
        var (a, b) = (m.TrainableParts[0], m.TrainableParts[1]);
        WriteLegacy(path, m, new TrainingState(0, 7, new List<EpochRecord>()), w =>
        {
            if (order == LegacyStateOrder.EachPartThenItsOptimiser)
            { a.Module.save(w); a.Optimiser.save_state_dict(w); b.Module.save(w); b.Optimiser.save_state_dict(w); }
            else
            { a.Module.save(w); b.Module.save(w); a.Optimiser.save_state_dict(w); b.Optimiser.save_state_dict(w); }
        });
        using var fresh = new TinyMethod(order);
        Assert.Equal(7, Checkpoint.Load(path, fresh).Epoch);
        Assert.True(Checkpoint.HoldsOptimiserState(path));
        AssertSameTrainingState(m, fresh);
    }

    [Fact]
    public void LargeEntriesAreReadThroughATemporaryFileThatIsRemoved()
    {
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        using var m = Trained();
        Checkpoint.Save(path, m, new TrainingState(0, 3, new List<EpochRecord>()));
        var before = Directory.GetFiles(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-*").Length;

        using var fresh = new TinyMethod();
        var state = Checkpoint.Load(path, fresh, inMemoryLimit: 0); // every entry counts as large
        Assert.Equal(3, state.Epoch);
        Assert.True(Same(m.B.Weight, fresh.B.Weight));
        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-*").Length);
    }

    [Fact]
    public void MissingOrForeignCheckpointErrorsNameTheFile()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        using var m = new TinyMethod();
        var missing = d.File("nope.zip");
        Assert.Contains("nope.zip", Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(missing, m)).Message);
        var junk = d.File("junk.zip");
        File.WriteAllText(junk, "not a zip");
        Assert.Contains("junk.zip", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(junk, m)).Message);
    }
}
