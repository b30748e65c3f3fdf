using System.IO.Compression;
using System.Text.Json;
using Workbench.Engine;
using Workbench.Methods;
using Workbench.Methods.Dmdd;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

/// <summary>
/// Real methods (ResNet-18, random teacher, 64 px) through both checkpoint layouts: the pre-split one
/// (one method.bin, as hundreds of existing run folders hold it) and the current one (weights/ and
/// optimiser/ per part; weights only once a run is finished).
/// </summary>
public class CheckpointCompatibilityTests
{
    /// <summary>method.bin as each method's SaveState wrote it before the split (copied from that code):
    /// part:weights = module.save, part:optimiser = optimiser.save_state_dict.</summary>
    static readonly Dictionary<string, string[]> OldSaveState = new()
    {
        ["snl-fd"] = ["student:weights", "student:optimiser"],
        ["dmdd"] = ["student:weights", "student:optimiser", "segmentation:weights", "segmentation:optimiser"],
        ["dskd"] = ["forward_student:weights", "reverse_student:weights", "fusion:weights",
                    "forward_student:optimiser", "reverse_student:optimiser", "fusion:optimiser"],
    };

    static readonly Dictionary<string, string[]> PhasesOf = new()
    {
        ["snl-fd"] = ["student"], ["dmdd"] = [DmddMethod.StudentPhase, DmddMethod.SegmentationPhase], ["dskd"] = ["students", "fusion"],
    };

    static IAnomalyMethod Make(string name)
    {
        TorchRuntime.EnsureLoaded();
        var cfg = MethodFactory.DefaultConfig(name) with { Teacher = "resnet18", TeacherWeights = "random" };
        return MethodFactory.Create(cfg, CPU, 0);
    }

    static void WriteLegacy(string path, IAnomalyMethod m, string name)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("state.json").Open()) JsonSerializer.Serialize(s, new TrainingState(0, 1, new List<EpochRecord>()));
        using (var s = zip.CreateEntry("config.json").Open()) JsonSerializer.Serialize(s, m.Config);
        using var bin = zip.CreateEntry("method.bin", CompressionLevel.NoCompression).Open();
        using var w = new BinaryWriter(bin);
        foreach (var item in OldSaveState[name])
        {
            var (part, what) = (item.Split(':')[0], item.Split(':')[1]);
            var p = m.TrainableParts.Single(x => x.Name == part);
            if (what == "weights") p.Module.save(w); else p.Optimiser.save_state_dict(w);
        }
    }

    static Tensor Maps(IAnomalyMethod m, Tensor x)
    {
        using var p = m.Predict(x);
        return p.Maps.clone();
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static long StateBytes(IAnomalyMethod m) =>
        m.TrainableParts.Sum(p => p.Module.state_dict().Values.Sum(t => t.NumberOfElements * t.ElementSize));

    [Theory]
    [InlineData("snl-fd")]   // SGD; CRAM centres and calibrated temperature buffer
    [InlineData("dmdd")]     // Adam; each part then its optimiser
    [InlineData("dskd")]     // Adam; all weights, then all optimisers
    public void PreSplitAndWeightsOnlyCheckpointsGiveIdenticalMaps(string name)
    {
        using var d = new TempDir();
        string legacy = d.File("legacy.zip"), weightsOnly = d.File("weights-only.zip");
        using var a = Make(name);
        manual_seed(5);
        using var x = randn(2, 3, 64, 64);
        int step = 0;
        foreach (var phase in PhasesOf[name]) a.TrainStep(x, new StepContext(phase, 0, step++, 11));
        using var expected = Maps(a, x);
        WriteLegacy(legacy, a, name);
        Checkpoint.SaveWeightsOnly(weightsOnly, a, new TrainingState(0, 1, new List<EpochRecord>()));

        using var fromLegacy = Make(name);
        Checkpoint.Load(legacy, fromLegacy);
        using var fromWeights = Make(name);
        Checkpoint.Load(weightsOnly, fromWeights);
        using (var m1 = Maps(fromLegacy, x)) Assert.True(Same(m1, expected), "pre-split checkpoint: maps differ");
        using (var m2 = Maps(fromWeights, x)) Assert.True(Same(m2, expected), "weights-only checkpoint: maps differ");

        // weights only: the parts' parameters and buffers and nothing else (no teacher), a fraction of the old file
        long weights = new FileInfo(weightsOnly).Length, old = new FileInfo(legacy).Length;
        Assert.InRange(weights, StateBytes(a), StateBytes(a) + 64 * 1024);
        Assert.True(weights < 0.55 * old, $"weights-only {weights} B vs pre-split {old} B");

        // the pre-split checkpoint also restored the optimiser state: the next step is the same
        var last = PhasesOf[name][^1];
        var la = a.TrainStep(x, new StepContext(last, 1, 0, 12))["loss"];
        var lb = fromLegacy.TrainStep(x, new StepContext(last, 1, 0, 12))["loss"];
        Assert.Equal(la, lb);
        using var after = Maps(a, x);
        using var afterLegacy = Maps(fromLegacy, x);
        Assert.True(Same(afterLegacy, after), "pre-split checkpoint: optimiser state not restored");
    }

    [Fact]
    public void ADmddVariantWithoutSegmentationReadsTheStudentOfAPreSplitFullCheckpoint()
    {
        using var d = new TempDir();
        var legacy = d.File("legacy.zip");
        using var a = (DmddMethod)Make("dmdd");
        manual_seed(6);
        using var x = randn(2, 3, 64, 64);
        a.TrainStep(x, new StepContext(DmddMethod.StudentPhase, 0, 0, 3));
        WriteLegacy(legacy, a, "dmdd");
        var cfg = (DmddConfig)Checkpoint.ReadConfig(legacy) with { Segmentation = false };
        using var variant = (DmddMethod)MethodFactory.Create(cfg, CPU, 0);
        Checkpoint.Load(legacy, variant);
        Assert.Null(variant.Fusion);
        Assert.All(a.Student.parameters().Zip(variant.Student.parameters()), p => Assert.True(Same(p.First, p.Second)));
    }
}
