using System.IO.Compression;
using System.Text.Json;
using Workbench.Methods;

namespace Workbench.Engine;

/// <summary>Where training stands: the current phase, epochs done in it, and the loss curve so far.</summary>
public sealed record TrainingState(int PhaseIndex, int Epoch, List<EpochRecord> History);

/// <summary>One finished epoch: mean losses, time, throughput.</summary>
public sealed record EpochRecord(string Phase, int Epoch, Dictionary<string, double> Losses, double Seconds, double ImagesPerSecond);

/// <summary>
/// A checkpoint is one zip file (state.json + the method's weights and optimiser states) written
/// to a temporary file, flushed to disk and renamed over the previous one: rename(2) is atomic,
/// so a killed run leaves either the old or the new checkpoint, never a torn file.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "checkpoint.zip";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string path, IAnomalyMethod method, TrainingState state)
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
                using (var s = zip.CreateEntry("method.bin", CompressionLevel.NoCompression).Open())
                using (var w = new BinaryWriter(s))
                    method.SaveState(w);
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

    /// <summary>Weights entries up to this size are unpacked in memory, larger ones to a temporary file.</summary>
    public const long InMemoryLimit = 1L << 30;

    /// <param name="inMemoryLimit">entries larger than this are unpacked to a temporary file (a MemoryStream
    /// stops at 2 GB; a WRN-50-2 DSKD with its Adam states is 2.4 GB)</param>
    public static TrainingState Load(string path, IAnomalyMethod method, long inMemoryLimit = InMemoryLimit)
    {
        using var zip = Open(path);
        TrainingState state;
        using (var s = Entry(zip, path, "state.json").Open())
            state = JsonSerializer.Deserialize<TrainingState>(s) ?? throw new InvalidDataException($"{path}: empty state.json");
        // TorchSharp's loader needs a seekable stream, and a zip entry's is not: copy it out first.
        var entry = Entry(zip, path, "method.bin");
        using Stream copy = entry.Length <= inMemoryLimit
            ? new MemoryStream()
            : new FileStream(Path.Combine(Path.GetTempPath(), $"workbench-{Environment.ProcessId}-{Guid.NewGuid():N}.bin"),
                             FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        using (var s = entry.Open()) s.CopyTo(copy, 1 << 20);
        copy.Position = 0;
        using var r = new BinaryReader(copy);
        method.LoadState(r);
        return state;
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
