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

    public static TrainingState Load(string path, IAnomalyMethod method)
    {
        using var zip = Open(path);
        TrainingState state;
        using (var s = Entry(zip, path, "state.json").Open())
            state = JsonSerializer.Deserialize<TrainingState>(s) ?? throw new InvalidDataException($"{path}: empty state.json");
        // BinaryReader needs a seekable stream for TorchSharp's loader: copy the entry to memory.
        using var ms = new MemoryStream();
        using (var s = Entry(zip, path, "method.bin").Open()) s.CopyTo(ms);
        ms.Position = 0;
        using var r = new BinaryReader(ms);
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
