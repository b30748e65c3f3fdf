using Workbench.Runtime;
using System.Text.Json;
using Workbench.Engine;
using Workbench.Imaging;

namespace Workbench.Data.Synthetic;

/// <summary>
/// The built-in benchmark: a seeded, pure-C# generator that writes a small dataset in MVTec AD
/// layout, so it is read by <see cref="MvtecLayout"/> like the real ones. Three texture
/// categories (woven, grainy, striped) and three objects (washer, pill, hexnut), each with three
/// local defect types and 0/255 PNG masks. Every image has its own seed derived from
/// (seed, category, split, defect, index), so output bytes depend only on the options.
/// </summary>
public static class SyntheticBenchmark
{
    public const string DatasetName = "synthetic";
    /// <summary>Bumped whenever the generator's output changes (invalidates cached copies).</summary>
    public const int Version = 2;
    const string Marker = "synthetic.json";

    public static readonly IReadOnlyList<string> AllCategories = TextureRenderer.Kinds.Concat(ObjectScene.Kinds).ToList();

    public static bool IsTexture(string category) => TextureRenderer.Kinds.Contains(category);

    /// <summary>Where the default copy for <paramref name="options"/> lives: beside the image cache
    /// ($WORKBENCH_CACHE or ~/.cache/kd-workbench)/synthetic/&lt;options key&gt;.</summary>
    public static string DefaultRoot(SyntheticOptions? options = null)
    {
        var o = options ?? new SyntheticOptions();
        var cacheRoot = Path.GetDirectoryName(ImageStore.DefaultCacheDir())!;
        return Path.Combine(cacheRoot, "synthetic", o.Key);
    }

    /// <summary>Generates into <see cref="DefaultRoot"/> unless a complete copy is already there; returns the root.</summary>
    public static string EnsureGenerated(SyntheticOptions? options = null, IProgressSink? progress = null)
    {
        var o = options ?? new SyntheticOptions();
        var root = DefaultRoot(o);
        if (File.Exists(Path.Combine(root, Marker))) return root;
        // Generate beside it and rename, so concurrent runs never read a half-written copy.
        var tmp = root + ".tmp-" + Environment.ProcessId;
        Generate(tmp, o, progress);
        try
        {
            if (Directory.Exists(root) && !File.Exists(Path.Combine(root, Marker))) Directory.Delete(root, recursive: true);
            Directory.Move(tmp, root);
        }
        catch (IOException) when (File.Exists(Path.Combine(root, Marker)))
        {
            Directory.Delete(tmp, recursive: true); // another process finished first; same bytes
        }
        return root;
    }

    /// <summary>
    /// Makes <paramref name="root"/> a finished copy from this generator version: generated with
    /// <paramref name="whenMissing"/> when the folder is missing or empty; a copy from an older
    /// version is regenerated with the options its marker records (returns a line saying so);
    /// a non-empty folder without the marker (an interrupted generation, or not this benchmark)
    /// is an error, never read as data.
    /// </summary>
    public static string? EnsureAt(string root, SyntheticOptions whenMissing, IProgressSink? progress = null)
    {
        var marker = Path.Combine(root, Marker);
        if (File.Exists(marker))
        {
            var (version, recorded) = ReadMarker(marker);
            if (version == Version) return null;
            Generate(root, recorded, progress);
            return $"{root}: synthetic benchmark from generator v{version} regenerated with v{Version} (same options: {recorded.Key})";
        }
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new ArgumentException($"{root}: not a finished synthetic benchmark (no {Marker}; an interrupted generation?): delete the folder to regenerate it, or read an MVTec-layout folder with --data-format mvtec");
        Generate(root, whenMissing, progress);
        return null;
    }

    /// <summary>The generator version and options recorded in a copy's marker file.</summary>
    static (int Version, SyntheticOptions Options) ReadMarker(string marker)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(marker));
            var r = doc.RootElement;
            int Int(string name) => r.GetProperty(name).GetInt32();
            var categories = r.GetProperty("categories").EnumerateArray().Select(e => e.GetString()!).ToArray();
            return (Int("version"), new SyntheticOptions(Int("Size"), Int("TrainPerCategory"), Int("TestGoodPerCategory"), Int("TestPerDefect"), Int("Seed"), categories));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ArgumentException($"{marker}: unreadable synthetic benchmark marker ({e.Message}); delete the folder to regenerate it", e);
        }
    }

    /// <summary>Writes the dataset to <paramref name="outDir"/> (existing category folders are replaced).</summary>
    public static void Generate(string outDir, SyntheticOptions options, IProgressSink? progress = null)
    {
        options.Validate();
        Directory.CreateDirectory(outDir);
        File.Delete(Path.Combine(outDir, Marker));
        var jobs = new List<(string Category, string Split, string Defect, int Index)>();
        foreach (var c in options.ChosenCategories)
        {
            var dir = Path.Combine(outDir, c);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            for (int i = 0; i < options.TrainPerCategory; i++) jobs.Add((c, "train", AnomalySample.Good, i));
            for (int i = 0; i < options.TestGoodPerCategory; i++) jobs.Add((c, "test", AnomalySample.Good, i));
            foreach (var d in DefectPainter.DefectsOf[c])
                for (int i = 0; i < options.TestPerDefect; i++) jobs.Add((c, "test", d, i));
        }
        using var task = (progress ?? LineProgressSink.Silent).Start("synthesize", jobs.Count, "img");
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (image, mask) = Render(job.Category, job.Defect, options.Size, StableSeed.Of(options.Seed, job.Category, job.Split, job.Defect, job.Index));
            var name = $"{job.Index:D3}";
            PngWriter.Write(Path.Combine(outDir, job.Category, job.Split, job.Defect, name + ".png"), image.ToRaster());
            if (mask != null)
            {
                var px = new byte[mask.Length];
                for (int i = 0; i < px.Length; i++) px[i] = mask[i] != 0 ? (byte)255 : (byte)0;
                PngWriter.Write(Path.Combine(outDir, job.Category, "ground_truth", job.Defect, name + "_mask.png"), new RasterImage(options.Size, options.Size, 1, px));
            }
            task.Advance(1);
        });
        // Written last: its presence means the copy is complete.
        File.WriteAllText(Path.Combine(outDir, Marker), JsonSerializer.Serialize(new { generator = "workbench synthetic", version = Version, options.Size, options.TrainPerCategory, options.TestGoodPerCategory, options.TestPerDefect, options.Seed, categories = options.ChosenCategories }, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>One image (and its 0/1 mask unless <paramref name="defect"/> is "good"), from its own seed.</summary>
    public static (Rgb Image, byte[]? Mask) Render(string category, string defect, int size, int seed)
    {
        var rng = new Random(seed);
        int minArea = Math.Max(6, size * size / 2000);
        bool texture = IsTexture(category);
        var normal = texture ? TextureRenderer.Render(category, size, rng) : null;
        var scene = texture ? null : ObjectScene.Draw(category, size, rng);
        if (defect == AnomalySample.Good) return (normal ?? scene!.Render().Image, null);
        // A defect too small to see is redrawn on the same normal image (deterministically, same rng).
        for (int attempt = 0; ; attempt++)
        {
            Rgb img;
            byte[] mask;
            if (texture) { img = normal!.Clone(); mask = DefectPainter.OnTexture(img, defect, rng); }
            else (img, mask) = DefectPainter.OnObject(scene!, defect, rng);
            if (mask.Count(v => v != 0) >= minArea || attempt >= 20) return (img, mask);
        }
    }
}
