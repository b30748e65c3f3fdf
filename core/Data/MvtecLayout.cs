namespace Workbench.Data;

/// <summary>
/// MVTec AD layout (also MPDD and the built-in synthetic benchmark):
/// <c>&lt;root&gt;/&lt;category&gt;/train/good/*.png</c>, <c>test/&lt;defect&gt;/*.png</c>,
/// <c>ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png</c>. Test images in <c>good</c> have no mask.
/// A category without any ground_truth folder loads with image labels only and a warning.
/// </summary>
public static class MvtecLayout
{
    public static DatasetSplit Load(string root, IReadOnlyList<string> categories, string protocol, string datasetName = "mvtec_ad")
    {
        if (!Directory.Exists(root)) throw new DatasetException(root, $"{datasetName} root folder not found");
        var parts = categories.Select(c => LoadCategory(root, c)).ToList();
        return Protocols.Compose(datasetName, protocol, parts);
    }

    /// <summary>Category folders under <paramref name="root"/> (those with train/good), sorted.</summary>
    public static IReadOnlyList<string> Categories(string root)
    {
        if (!Directory.Exists(root)) throw new DatasetException(root, "dataset root folder not found");
        return Directory.EnumerateDirectories(root)
            .Where(d => Directory.Exists(Path.Combine(d, "train", "good")))
            .Select(d => Path.GetFileName(d)!)
            .OrderBy(c => c, StringComparer.Ordinal).ToList();
    }

    public static CategoryData LoadCategory(string root, string category)
    {
        var dir = Path.Combine(root, category);
        if (!Directory.Exists(dir))
        {
            var known = Directory.Exists(root) ? string.Join(", ", Categories(root)) : "";
            throw new DatasetException(dir, $"category '{category}' not found (available: {(known.Length > 0 ? known : "none")})");
        }
        var trainDir = Path.Combine(dir, "train", "good");
        if (!Directory.Exists(trainDir)) throw new DatasetException(trainDir, "missing train/good folder");
        var train = ImageFiles.List(trainDir).Select(p => new AnomalySample(p, category, AnomalySample.Good, false, null)).ToList();
        if (train.Count == 0) throw new DatasetException(trainDir, "train set is empty (no .png/.jpg images)");

        var testDir = Path.Combine(dir, "test");
        if (!Directory.Exists(testDir)) throw new DatasetException(testDir, "missing test folder");
        var gtDir = Path.Combine(dir, "ground_truth");
        bool hasGt = Directory.Exists(gtDir);
        var warnings = new List<string>();
        var test = new List<AnomalySample>();
        foreach (var defectDir in Directory.EnumerateDirectories(testDir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var defect = Path.GetFileName(defectDir)!;
            bool anomalous = defect != AnomalySample.Good;
            foreach (var img in ImageFiles.List(defectDir))
            {
                string? mask = null;
                if (anomalous && hasGt)
                {
                    mask = Path.Combine(gtDir, defect, Path.GetFileNameWithoutExtension(img) + "_mask.png");
                    if (!File.Exists(mask)) throw new DatasetException(img, $"defect image has no mask (expected {mask})");
                }
                test.Add(new AnomalySample(img, category, defect, anomalous, mask));
            }
        }
        if (test.Count == 0) throw new DatasetException(testDir, "test set is empty");
        if (!hasGt && test.Any(s => s.IsAnomalous))
            warnings.Add($"{gtDir}: no ground_truth folder; {category} is evaluated at image level only (no pixel metrics)");
        ImageFiles.CheckReadable(train.Concat(test));
        return new CategoryData(category, train, test, hasGt, warnings);
    }
}
