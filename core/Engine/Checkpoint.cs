using System.IO.Compression;
using System.Text.Json;
using Workbench.Methods;

namespace Workbench.Engine;

/// <summary>Where training stands: the current phase, epochs done in it, and the loss curve so far.</summary>
public sealed record TrainingState(int PhaseIndex, int Epoch, List<EpochRecord> History);

/// <summary>One finished epoch: mean losses, time, throughput.</summary>
public sealed record EpochRecord(string Phase, int Epoch, Dictionary<string, double> Losses, double Seconds, double ImagesPerSecond);

/// <summary>
/// A checkpoint is one zip file: state.json (where training stands), config.json (the method config, to
/// rebuild the model and its frozen teacher), weights/&lt;part&gt;.bin for each of the method's
/// <see cref="IAnomalyMethod.TrainableParts"/> and, while the run may still train, optimiser/&lt;part&gt;.bin.
/// A finished run keeps weights only (<see cref="SaveWeightsOnly"/>): about a third of the size with Adam.
/// Checkpoints from before this split hold one method.bin and still load (<see cref="LegacyCheckpoint"/>).
/// Each is written to a temporary file, flushed to disk and renamed over the previous one: rename(2) is
/// atomic, so a killed run leaves either the old or the new checkpoint, never a torn file.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "checkpoint.zip";
    const string WeightsFolder = "weights/", OptimiserFolder = "optimiser/";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Everything training needs to continue exactly: weights and optimiser states.</summary>
    public static void Save(string path, IAnomalyMethod method, TrainingState state) => Write(path, method, state, withOptimiser: true);

    /// <summary>Weights only: all that eval, predict and scoring read. Training cannot continue exactly from it.</summary>
    public static void SaveWeightsOnly(string path, IAnomalyMethod method, TrainingState state) => Write(path, method, state, withOptimiser: false);

    static void Write(string path, IAnomalyMethod method, TrainingState state, bool withOptimiser)
    {
        var tmp = path + ".partial";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var s = zip.CreateEntry("state.json").Open())
                    JsonSerializer.Serialize(s, state, Json);
                using (var s = zip.CreateEntry("config.json").Open())
                    JsonSerializer.Serialize(s, method.Config, Json);
                foreach (var part in method.TrainableParts)
                {
                    // Float weights barely compress; storing them saves the CPU time.
                    using (var s = zip.CreateEntry(WeightsFolder + part.Name + ".bin", CompressionLevel.NoCompression).Open())
                    using (var w = new BinaryWriter(s))
                        part.Module.save(w);
                    if (!withOptimiser) continue;
                    using (var s = zip.CreateEntry(OptimiserFolder + part.Name + ".bin", CompressionLevel.NoCompression).Open())
                    using (var w = new BinaryWriter(s))
                        part.Optimiser.save_state_dict(w);
                }
            }
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The method config stored in a checkpoint, to rebuild the model before loading.</summary>
    public static MethodConfig ReadConfig(string path)
    {
        using var zip = Open(path);
        using var s = Entry(zip, path, "config.json").Open();
        return JsonSerializer.Deserialize<MethodConfig>(s) ?? throw new InvalidDataException($"{path}: empty config.json");
    }

    /// <summary>True when training can continue from the checkpoint: it holds optimiser states (every
    /// pre-split checkpoint does), i.e. it was not written by <see cref="SaveWeightsOnly"/>.</summary>
    public static bool HoldsOptimiserState(string path)
    {
        using var zip = Open(path);
        return zip.GetEntry(LegacyCheckpoint.EntryName) is not null || zip.Entries.Any(e => e.FullName.StartsWith(OptimiserFolder, StringComparison.Ordinal));
    }

    /// <summary>Entries up to this size are unpacked in memory, larger ones to a temporary file.</summary>
    public const long InMemoryLimit = 1L << 30;

    /// <summary>Loads weights (and optimiser states when the checkpoint holds them) into <paramref name="method"/>,
    /// which must have been built from the checkpoint's config (or a rewrite that keeps the parts' shapes).
    /// Parts the checkpoint has and the method lacks are ignored (DMDD's Segmentation=false variant).</summary>
    /// <param name="inMemoryLimit">entries larger than this are unpacked to a temporary file (a MemoryStream
    /// stops at 2 GB; a pre-split WRN-50-2 DSKD method.bin with its Adam states is 2.4 GB)</param>
    public static TrainingState Load(string path, IAnomalyMethod method, long inMemoryLimit = InMemoryLimit)
    {
        using var zip = Open(path);
        TrainingState state;
        using (var s = Entry(zip, path, "state.json").Open())
            state = JsonSerializer.Deserialize<TrainingState>(s) ?? throw new InvalidDataException($"{path}: empty state.json");
        if (zip.GetEntry(LegacyCheckpoint.EntryName) is { } legacy)
        {
            Read(path, legacy, inMemoryLimit, r => LegacyCheckpoint.Read(r, method));
            return state;
        }
        bool withOptimiser = zip.Entries.Any(e => e.FullName.StartsWith(OptimiserFolder, StringComparison.Ordinal));
        foreach (var part in method.TrainableParts)
        {
            Read(path, PartEntry(zip, path, method, WeightsFolder, part), inMemoryLimit, r => part.Module.load(r));
            if (withOptimiser)
                Read(path, PartEntry(zip, path, method, OptimiserFolder, part), inMemoryLimit, r => part.Optimiser.load_state_dict(r));
        }
        return state;
    }

    static ZipArchiveEntry PartEntry(ZipArchive zip, string path, IAnomalyMethod method, string folder, TrainablePart part) =>
        zip.GetEntry(folder + part.Name + ".bin")
        ?? throw new InvalidDataException($"{path}: no {folder}{part.Name}.bin for {method.Name}'s part '{part.Name}' (the checkpoint holds: " +
                                          string.Join(", ", zip.Entries.Select(e => e.FullName)) + ")");

    /// <summary>Hands <paramref name="load"/> a reader over a seekable copy of the entry (TorchSharp's loaders
    /// need one; a zip entry's stream is not), and names the file and entry in any format error.</summary>
    static void Read(string path, ZipArchiveEntry entry, long inMemoryLimit, Action<BinaryReader> load)
    {
        using Stream copy = entry.Length <= inMemoryLimit
            ? new MemoryStream()
            : new FileStream(Path.Combine(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-{Guid.NewGuid():N}.bin"),
                             FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        using (var s = entry.Open()) s.CopyTo(copy, 1 << 20);
        copy.Position = 0;
        using var r = new BinaryReader(copy);
        try { load(r); }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: {entry.FullName} does not fit the model built from its config: {e.Message}", e);
        }
    }

    static ZipArchive Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a workbench checkpoint ({e.Message})", e); }
    }

    static ZipArchiveEntry Entry(ZipArchive zip, string path, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: checkpoint has no {name}");
}
