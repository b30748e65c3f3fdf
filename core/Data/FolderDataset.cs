namespace Workbench.Data;

/// <summary>
/// A generic dataset from plain folders: normal images, abnormal images and (optionally) masks
/// named like the abnormal image (<c>name.png</c> or <c>name_mask.png</c>). Without a separate
/// normal test folder, a seeded fraction of the normal images is held out for testing (as
/// anomalib's Folder dataset does), so the test set has both classes.
/// </summary>
public static class FolderDataset
{
    public static DatasetSplit Load(string normalDir, string abnormalDir, string? maskDir = null,
                                    string? normalTestDir = null, double normalTestFraction = 0.2, int seed = 0,
                                    string category = "folder")
    {
        var normal = ListNonEmpty(normalDir, "normal");
        var abnormal = ListNonEmpty(abnormalDir, "abnormal");
        if (maskDir != null && !Directory.Exists(maskDir)) throw new DatasetException(maskDir, "mask folder not found");

        List<string> trainFiles, testNormal;
        if (normalTestDir != null) { trainFiles = normal; testNormal = ListNonEmpty(normalTestDir, "normal test"); }
        else
        {
            if (normalTestFraction is < 0 or >= 1) throw new ArgumentException($"normalTestFraction {normalTestFraction} must be in [0,1)");
            var rng = new Random(seed);
            var shuffled = normal.OrderBy(_ => rng.Next()).ToList();
            int nTest = (int)Math.Round(normal.Count * normalTestFraction);
            testNormal = shuffled.Take(nTest).OrderBy(p => p, StringComparer.Ordinal).ToList();
            trainFiles = shuffled.Skip(nTest).OrderBy(p => p, StringComparer.Ordinal).ToList();
            if (trainFiles.Count == 0) throw new DatasetException(normalDir, "train set is empty after holding out test images");
        }
        var train = trainFiles.Select(p => new AnomalySample(p, category, AnomalySample.Good, false, null)).ToList();
        var test = testNormal.Select(p => new AnomalySample(p, category, AnomalySample.Good, false, null)).ToList();
        foreach (var img in abnormal)
            test.Add(new AnomalySample(img, category, "anomaly", true, maskDir == null ? null : FindMask(maskDir, img)));
        ImageFiles.CheckReadable(train.Concat(test));
        var warnings = maskDir == null ? new[] { $"{abnormalDir}: no mask folder given; image-level metrics only" } : Array.Empty<string>();
        return new DatasetSplit("folder", new[] { category }, Protocols.OneClass, train, test, maskDir != null) { Warnings = warnings };
    }

    static List<string> ListNonEmpty(string dir, string what)
    {
        if (!Directory.Exists(dir)) throw new DatasetException(dir, $"{what} folder not found");
        var files = ImageFiles.List(dir);
        if (files.Count == 0) throw new DatasetException(dir, $"{what} folder has no .png/.jpg images");
        return files;
    }

    static string FindMask(string maskDir, string image)
    {
        var stem = Path.GetFileNameWithoutExtension(image);
        foreach (var name in new[] { stem + ".png", stem + "_mask.png" })
        {
            var p = Path.Combine(maskDir, name);
            if (File.Exists(p)) return p;
        }
        throw new DatasetException(image, $"defect image has no mask (expected {Path.Combine(maskDir, stem + ".png")} or {stem}_mask.png)");
    }
}
