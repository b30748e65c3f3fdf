using System.Diagnostics;
using System.Text.Json;
using Workbench.Data;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Metrics;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Engine;

/// <summary>A loss became NaN or infinite; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// Runs any method on any dataset split: seeded per epoch (so a resumed run continues exactly),
/// progress with loss and images/s, an atomic checkpoint after every epoch, evaluation every N
/// epochs and at the end, and a run folder with manifest, metrics, loss curve and per-image scores.
/// A finished run's checkpoint keeps weights only (optimiser states serve only to continue training).
/// </summary>
public sealed class Trainer(IProgressSink progress, TextWriter log)
{
    /// <summary>Where metrics are computed: "auto" (the training device) or "cpu"; see <see cref="MetricsPlacement"/>.</summary>
    public string MetricsDevice { get; init; } = "auto";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <param name="keepOptimiserState">keep the optimiser states in the finished run's checkpoint, so that
    /// the run can later be extended (resumed with more epochs); by default they are dropped when the run
    /// has been evaluated (with Adam, two thirds of the checkpoint)</param>
    public RunResult Run(RunConfig config, bool resume = false, ImageStore? store = null, bool keepOptimiserState = false)
    {
        var wall = Stopwatch.StartNew();
        var phaseSeconds = new Dictionary<string, double>();
        Directory.CreateDirectory(config.OutDir);
        using var folderLock = RunFolderLock.Acquire(config.OutDir);
        var device = DeviceChoice.Resolve(config.Device);
        Seeding.Seed(config.Seed);
        store ??= new ImageStore(ImageStore.DefaultCacheDir());

        var t0 = Stopwatch.StartNew();
        var split = DataSetup.Load(config.Data, config.Seed, progress);
        var train = new BatchLoader(split.Train, config.Data.ImageSize, store, device);
        var test = new BatchLoader(split.Test, config.Data.ImageSize, store, device);
        train.Preload(progress);
        test.Preload(progress);
        phaseSeconds["data"] = t0.Elapsed.TotalSeconds;
        foreach (var w in split.Warnings) log.WriteLine("warning: " + w);
        if (!split.HasPixelLabels) log.WriteLine("warning: no pixel ground truth in this split; pixel metrics and AUPRO are NaN");

        using var method = MethodFactory.Create(config.Method, device, config.Seed);
        var ckptPath = Path.Combine(config.OutDir, Checkpoint.FileName);
        var state = new TrainingState(0, 0, new List<EpochRecord>());
        bool resumed = false;
        if (resume)
        {
            if (!File.Exists(ckptPath)) throw new FileNotFoundException($"--resume: no checkpoint at {ckptPath}", ckptPath);
            state = Checkpoint.Load(ckptPath, method);
            resumed = true;
            log.WriteLine($"resumed from {ckptPath}: phase {state.PhaseIndex}, epoch {state.Epoch}");
        }
        int stepsPerEpoch = StepsPerEpoch(train.Count, config.BatchSize, config.MaxStepsPerEpoch);
        var phases = method.Phases.Select(ph => ph with { Epochs = ph.EpochsFor(stepsPerEpoch) }).ToList();
        if (resumed && EpochsLeft(phases, state) > 0 && !Checkpoint.HoldsOptimiserState(ckptPath))
            throw new InvalidOperationException(
                $"--resume: {ckptPath} is a finished run's checkpoint, which keeps weights only (no optimiser state), so training " +
                $"cannot continue from it exactly ({EpochsLeft(phases, state)} epochs left); train into a new --out, or train with " +
                "--keep-optimiser-state to keep a finished run extendable");

        if (!resumed && method is IInitialisedFromTrainingData initialised)
        {
            var ti = Stopwatch.StartNew();
            initialised.InitialiseFrom(ImagesOf(train.Batches(config.BatchSize, shuffle: true, seed: StableSeed.Of(config.Seed, "initialise"))), config.Seed);
            phaseSeconds["initialise"] = ti.Elapsed.TotalSeconds;
        }

        var manifest = new RunManifest
        {
            Config = config,
            Teacher = method.TeacherDescription,
            TeacherPretrained = !config.Method.TeacherWeights.Equals("random", StringComparison.OrdinalIgnoreCase),
            GitCommit = RunManifest.ReadGitCommit(Directory.GetCurrentDirectory()),
            Device = device.ToString(),
            MetricsDevice = MetricsPlacement.Resolve(MetricsDevice, device).ToString(),
            TorchSharp = TorchRuntime.TorchSharpVersion,
            LibTorch = TorchRuntime.LibTorchVersion(),
            Threads = get_num_threads(),
            Machine = RunManifest.MachineDescription(),
            StartedUtc = DateTime.UtcNow.ToString("o"),
            Parameters = method.ParameterCounts().ToDictionary(kv => kv.Key, kv => kv.Value),
            PhaseSeconds = phaseSeconds,
            TrainImages = train.Count,
            TestImages = test.Count,
            Resumed = resumed,
        };
        WriteManifest(config, manifest);

        for (int p = state.PhaseIndex; p < phases.Count; p++)
        {
            var phase = phases[p];
            var tp = Stopwatch.StartNew();
            for (int epoch = p == state.PhaseIndex ? state.Epoch : 0; epoch < phase.Epochs; epoch++)
            {
                var record = RunEpoch(method, train, config, phase, epoch);
                state.History.Add(record);
                // (phase, epochs done in it): a finished phase can still be extended by resuming with more epochs.
                var next = new TrainingState(p, epoch + 1, state.History);
                Checkpoint.Save(ckptPath, method, next);
                state = next;
                log.WriteLine($"[{phase.Name}] epoch {epoch + 1}/{phase.Epochs} loss {record.Losses["loss"]:F5} ({record.ImagesPerSecond:F1} img/s)");
                bool last = p == phases.Count - 1 && epoch + 1 == phase.Epochs;
                if (config.EvalEvery > 0 && (epoch + 1) % config.EvalEvery == 0 && !last)
                {
                    var (m, _) = EvaluateOn(method, test, split, config.BatchSize, config.Rd4adPro);
                    log.WriteLine($"  eval @ epoch {epoch + 1}: image AUROC {m.Mean.ImageAuroc:F4}, pixel AUROC {m.Mean.PixelAuroc:F4}, AUPRO {m.Mean.Aupro:F4}");
                    AtomicFile.WriteAllText(Path.Combine(config.OutDir, $"eval-{phase.Name}-epoch{epoch + 1}.json"), JsonSerializer.Serialize(m, Json));
                }
            }
            phaseSeconds["train:" + phase.Name] = phaseSeconds.GetValueOrDefault("train:" + phase.Name) + tp.Elapsed.TotalSeconds;
        }

        var te = Stopwatch.StartNew();
        var (metrics, scores) = EvaluateOn(method, test, split, config.BatchSize, config.Rd4adPro);
        phaseSeconds["evaluate"] = te.Elapsed.TotalSeconds;
        phaseSeconds["total"] = wall.Elapsed.TotalSeconds;
        manifest.PeakMemoryBytes = RunManifest.PeakMemory();
        WriteManifest(config, manifest);

        var result = new RunResult(config.OutDir, method.Name, method.TeacherDescription, manifest.TeacherPretrained, metrics, state.History, scores);
        result.Write();
        // Finished and evaluated: only eval, predict and scoring read the checkpoint from now on. A kill before
        // this line leaves the full checkpoint, which resumes to no epochs and is evaluated again.
        if (!keepOptimiserState) Checkpoint.SaveWeightsOnly(ckptPath, method, state);
        return result;
    }

    /// <summary>Epochs still to train after <paramref name="state"/>, over its phase and the later ones.</summary>
    static int EpochsLeft(IReadOnlyList<TrainingPhase> phases, TrainingState state) =>
        phases.Skip(state.PhaseIndex).Select((ph, i) => i == 0 ? ph.Epochs - state.Epoch : ph.Epochs).Where(n => n > 0).Sum();

    /// <summary>Each batch's images, the batch disposed once the consumer moves on.</summary>
    static IEnumerable<Tensor> ImagesOf(IEnumerable<Batch> batches)
    {
        foreach (var batch in batches)
            using (batch)
                yield return batch.Images;
    }

    /// <summary>Evaluates a saved checkpoint on a dataset split; writes metrics and scores to <paramref name="outDir"/>.</summary>
    /// <param name="configure">rewrites the stored method config before the model is built, for test-time
    /// variants of one trained model (DSKD's Variant, DMDD's Score, SNL's map weight); it must keep the trained
    /// modules' shapes</param>
    public RunResult EvaluateCheckpoint(string checkpoint, DataConfig data, int seed, int batchSize, string deviceChoice, string outDir, ImageStore? store = null,
                                        Func<MethodConfig, MethodConfig>? configure = null, bool rd4adPro = false)
    {
        var device = DeviceChoice.Resolve(deviceChoice);
        Seeding.Seed(seed);
        store ??= new ImageStore(ImageStore.DefaultCacheDir());
        var split = DataSetup.Load(data, seed, progress);
        var test = new BatchLoader(split.Test, data.ImageSize, store, device);
        test.Preload(progress);
        var config = Checkpoint.ReadConfig(checkpoint);
        if (configure is not null) config = configure(config);
        using var method = MethodFactory.Create(config, device, seed);
        var state = Checkpoint.Load(checkpoint, method);
        var (metrics, scores) = EvaluateOn(method, test, split, batchSize, rd4adPro);
        var result = new RunResult(outDir, method.Name, method.TeacherDescription,
                                   !config.TeacherWeights.Equals("random", StringComparison.OrdinalIgnoreCase), metrics, state.History, scores);
        result.Write();
        return result;
    }

    EpochRecord RunEpoch(IAnomalyMethod method, BatchLoader train, RunConfig config, TrainingPhase phase, int epoch)
    {
        // Seed per (run seed, phase, epoch) for the shuffle and per (…, step) for any synthesis: nothing
        // depends on what ran before, so a resumed run reproduces an uninterrupted one, and every step of a
        // schedule gets its own draw.
        int epochSeed = EpochSeed(config.Seed, phase.Name, epoch);
        manual_seed(epochSeed);
        var sums = new Dictionary<string, double>();
        int steps = 0, images = 0;
        var clock = Stopwatch.StartNew();
        int total = StepsPerEpoch(train.Count, config.BatchSize, config.MaxStepsPerEpoch);
        using var bar = progress.Start($"{method.Name} {phase.Name} {epoch + 1}/{phase.Epochs}", total, "steps");
        // The last partial batch is kept, as PyTorch's DataLoader does by default (RD4AD main.py, STPM).
        foreach (var batch in train.Batches(config.BatchSize, shuffle: true, seed: epochSeed))
        {
            using (batch)
            {
                var context = new StepContext(phase.Name, epoch, steps, StepSeed(config.Seed, phase.Name, epoch, steps));
                var losses = method.TrainStep(batch.Images, context);
                foreach (var (k, v) in losses)
                {
                    if (!double.IsFinite(v))
                        throw new TrainingDivergedException($"{method.Name}: loss '{k}' is {v} at {phase.Name} epoch {epoch + 1} step {steps + 1}; stopped. The last good checkpoint is {Path.Combine(config.OutDir, Checkpoint.FileName)}");
                    sums[k] = sums.GetValueOrDefault(k) + v;
                }
                steps++;
                images += (int)batch.Images.shape[0];
                bar.Advance(1, $"loss {losses["loss"]:F4} {images / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F1} img/s");
            }
            if (config.MaxStepsPerEpoch > 0 && steps >= config.MaxStepsPerEpoch) break;
        }
        var secs = clock.Elapsed.TotalSeconds;
        return new EpochRecord(phase.Name, epoch + 1, sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(steps, 1)), secs, images / Math.Max(secs, 1e-9));
    }

    /// <summary>The seed of one epoch's shuffle (and of the torch generator during it).</summary>
    public static int EpochSeed(int runSeed, string phase, int epoch) => StableSeed.Of(runSeed, phase, epoch);

    /// <summary>The synthesis seed of one training step (StepContext.Seed): a stable hash of (run seed, phase)
    /// plus epoch·2¹⁶ + step, so within a run's phase every step has its own draw by construction (a hash of
    /// all four can collide: 31 bits over 23,400 steps did in a test).</summary>
    public static int StepSeed(int runSeed, string phase, int epoch, int step)
    {
        if (step is < 0 or >= 1 << 16) throw new ArgumentOutOfRangeException(nameof(step), step, "a step index must be in [0, 65536)");
        return (int)((StableSeed.Of(runSeed, phase) + ((long)epoch << 16) + step) % int.MaxValue);
    }

    /// <summary>Optimisation steps in one epoch: every batch including the last partial one (⌈n / batch⌉),
    /// capped by <paramref name="maxStepsPerEpoch"/> when it is positive.</summary>
    public static int StepsPerEpoch(int trainCount, int batchSize, int maxStepsPerEpoch)
    {
        int all = Math.Max(1, (trainCount + batchSize - 1) / batchSize);
        return maxStepsPerEpoch > 0 ? Math.Min(maxStepsPerEpoch, all) : all;
    }

    /// <summary>Predicts the whole test split and evaluates it (per category and mean).</summary>
    /// <param name="rd4adPro">also compute RD4AD's per-image PRO (the definition RD4AD's and DSKD's published PRO use)</param>
    public (EvaluationResult Metrics, List<ImageScore> Scores) EvaluateOn(IAnomalyMethod method, BatchLoader test, DatasetSplit split, int batchSize, bool rd4adPro = false)
    {
        var on = MetricsPlacement.Resolve(MetricsDevice, method.Device);
        var maps = new List<Tensor>();
        var masks = new List<Tensor>();
        var labels = new List<Tensor>();
        var scoreList = new List<Tensor>();
        var samples = new List<AnomalySample>();
        using var bar = progress.Start($"{method.Name} evaluate", (test.Count + batchSize - 1) / batchSize, "batches");
        foreach (var batch in test.Batches(batchSize, shuffle: false, seed: 0))
        {
            using (batch)
            using (var pred = method.Predict(batch.Images))
            {
                maps.Add(pred.Maps.squeeze(1).to(on));
                scoreList.Add(pred.Scores.to(on));
                masks.Add(batch.Masks.squeeze(1).to(on));
                labels.Add(batch.Labels.to(on));
                samples.AddRange(batch.Samples);
            }
            bar.Advance(1);
        }
        using var scope = NewDisposeScope();
        var allMaps = cat(maps, 0);
        var allScores = cat(scoreList, 0);
        var allMasks = cat(masks, 0);
        var allLabels = cat(labels, 0);
        foreach (var t in maps.Concat(scoreList).Concat(masks).Concat(labels)) t.Dispose();
        var categories = samples.Select(s => s.Category).ToList();
        var result = Evaluate.Run(allMaps, split.HasPixelLabels ? allMasks : null, allLabels, allScores, categories,
                                  new EvaluateOptions(Rd4adPro: rd4adPro && split.HasPixelLabels));
        var sc = allScores.cpu().data<float>().ToArray();
        var scores = samples.Select((s, i) => new ImageScore(s.ImagePath, s.Category, s.Defect, s.IsAnomalous, sc[i])).ToList();
        return (result, scores);
    }

    static void WriteManifest(RunConfig config, RunManifest manifest) =>
        AtomicFile.WriteAllText(Path.Combine(config.OutDir, "manifest.json"), JsonSerializer.Serialize(manifest, Json));
}
