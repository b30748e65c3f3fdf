using System.Text.Json;

namespace Workbench.Engine;

/// <summary>
/// A <see cref="RunConfig"/> as a file of its own: what a plan folder holds per run and
/// <c>workbench train --config</c> reads. The same JSON as a run manifest's <c>Config</c>, so a run trained
/// from the file is the run <see cref="RunStore"/> reuses for that config.
/// </summary>
public static class RunConfigFile
{
    public static void Write(RunConfig config, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(config, RunStore.Json));
    }

    public static RunConfig Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"run config {path} not found", path);
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), RunStore.Json)
                   ?? throw new InvalidDataException($"run config {path} is empty (null)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"run config {path} is not a run config: {e.Message}", e);
        }
    }
}
