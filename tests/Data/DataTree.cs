using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Data;

/// <summary>Writes tiny datasets into a temp folder for the loader tests.</summary>
static class DataTree
{
    public static void Png(string path, int w, int h, bool gray = false, byte value = 100)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int ch = gray ? 1 : 3;
        var samples = new ushort[w * h * ch];
        for (int i = 0; i < samples.Length; i++) samples[i] = (ushort)((value + i) % 256);
        File.WriteAllBytes(path, PngEncoder.Encode(w, h, gray ? 0 : 2, 8, samples));
    }

    /// <summary>A mask: 0 outside, <paramref name="on"/> in the left half.</summary>
    public static void Mask(string path, int w, int h, byte on = 255)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var s = new ushort[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w / 2; x++) s[y * w + x] = on;
        File.WriteAllBytes(path, PngEncoder.Encode(w, h, 0, 8, s));
    }

    /// <summary>MVTec layout: 3 train, 2 test good, 2 "crack" with masks (+ 1 "hole" with masks).</summary>
    public static void Mvtec(string root, string category, bool gray = false, bool groundTruth = true, int w = 12, int h = 10)
    {
        var c = Path.Combine(root, category);
        for (int i = 0; i < 3; i++) Png(Path.Combine(c, "train", "good", $"{i:D3}.png"), w, h, gray);
        for (int i = 0; i < 2; i++) Png(Path.Combine(c, "test", "good", $"{i:D3}.png"), w, h, gray);
        foreach (var (defect, n) in new[] { ("crack", 2), ("hole", 1) })
            for (int i = 0; i < n; i++)
            {
                Png(Path.Combine(c, "test", defect, $"{i:D3}.png"), w, h, gray, 200);
                if (groundTruth) Mask(Path.Combine(c, "ground_truth", defect, $"{i:D3}_mask.png"), w, h);
            }
    }
}
