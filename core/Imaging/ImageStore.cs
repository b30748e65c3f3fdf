using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Imaging;

/// <summary>What to load: an RGB image or a binary mask, at a target size.</summary>
public readonly record struct ImageRequest(string Path, int Height, int Width, bool IsMask, MaskResize MaskMode = MaskResize.BilinearThreshold);

/// <summary>
/// Decodes and resizes images in parallel and caches the result at the target size, in memory
/// and (optionally) on disk, because decoding 900×900 PNGs dominates small runs. The disk cache
/// key covers the full path, file length, modification time, target size and mask mode, so an
/// edited file is decoded again. Cached values are the 8-bit resized pixels.
/// </summary>
public sealed class ImageStore
{
    readonly ConcurrentDictionary<ImageRequest, RasterImage> memory = new();
    readonly string? diskDir;

    /// <param name="diskCacheDir">folder for the on-disk cache, or null for memory only.</param>
    public ImageStore(string? diskCacheDir = null)
    {
        diskDir = diskCacheDir;
        if (diskDir != null) Directory.CreateDirectory(diskDir);
    }

    /// <summary>Default disk cache: $WORKBENCH_CACHE, else $XDG_CACHE_HOME/kd-workbench/images, else ~/.cache/…</summary>
    public static string DefaultCacheDir()
    {
        var env = Environment.GetEnvironmentVariable("WORKBENCH_CACHE");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "images");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "kd-workbench", "images");
    }

    public int MemoryCount => memory.Count;

    public RasterImage Load(ImageRequest req) => memory.GetOrAdd(req, LoadUncached);

    /// <summary>Loads many requests on all cores; <paramref name="onDone"/> is called once per item.</summary>
    public RasterImage[] LoadMany(IReadOnlyList<ImageRequest> reqs, Action? onDone = null, int maxParallel = 0)
    {
        var result = new RasterImage[reqs.Count];
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxParallel > 0 ? maxParallel : Environment.ProcessorCount };
        Parallel.For(0, reqs.Count, opts, i => { result[i] = Load(reqs[i]); onDone?.Invoke(); });
        return result;
    }

    RasterImage LoadUncached(ImageRequest req)
    {
        string? cacheFile = diskDir == null ? null : Path.Combine(diskDir, Key(req) + ".raw");
        if (cacheFile != null && TryReadCache(cacheFile, req, out var cached)) return cached;
        var decoded = req.IsMask ? ImageDecoder.DecodeGray(req.Path) : ImageDecoder.DecodeRgb(req.Path);
        var img = req.IsMask ? Resize.Mask(decoded, req.Height, req.Width, req.MaskMode) : Resize.Bilinear(decoded, req.Height, req.Width);
        if (cacheFile != null) WriteCache(cacheFile, img);
        return img;
    }

    static string Key(ImageRequest req)
    {
        var fi = new FileInfo(req.Path);
        if (!fi.Exists) throw new ImageReadException(req.Path, "file not found");
        var s = $"{fi.FullName}|{fi.Length}|{fi.LastWriteTimeUtc.Ticks}|{req.Height}x{req.Width}|{(req.IsMask ? "mask:" + req.MaskMode : "rgb")}|v1";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..32];
    }

    static bool TryReadCache(string file, ImageRequest req, out RasterImage img)
    {
        img = null!;
        int c = req.IsMask ? 1 : 3;
        try
        {
            if (!File.Exists(file)) return false;
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length != req.Height * req.Width * c) return false;
            img = new RasterImage(req.Width, req.Height, c, bytes);
            return true;
        }
        catch (IOException) { return false; }
    }

    static void WriteCache(string file, RasterImage img)
    {
        // Write-then-rename so a concurrent reader or a killed process never sees a partial file.
        var tmp = file + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
        try
        {
            File.WriteAllBytes(tmp, img.Pixels);
            File.Move(tmp, file, overwrite: true);
        }
        catch (IOException) { TryDelete(tmp); }
        catch (UnauthorizedAccessException) { TryDelete(tmp); }
    }

    static void TryDelete(string f) { try { File.Delete(f); } catch (IOException) { } }
}
