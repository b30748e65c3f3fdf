namespace Workbench.Data;

/// <summary>
/// VisA (Zou et al., ECCV 2022), located through its split file <c>split_csv/1cls.csv</c>
/// (columns object, split, label, image, mask; paths relative to the VisA root). Its masks are
/// not 0/255: any nonzero value is anomalous (Imaging.Resize.Mask). VisA has no defect types in
/// the split file, so anomalous samples get Defect "anomaly".
/// </summary>
public static class VisaLayout
{
    public const string SplitFile = "split_csv/1cls.csv";

    public static DatasetSplit Load(string root, IReadOnlyList<string> categories, string protocol, string datasetName = "visa")
    {
        var rows = ReadSplit(root);
        var known = rows.Select(r => r.Object).Distinct().ToHashSet();
        var parts = new List<CategoryData>();
        foreach (var c in categories)
        {
            if (!known.Contains(c))
                throw new DatasetException(Path.Combine(root, SplitFile), $"category '{c}' not in the split file (available: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            var train = new List<AnomalySample>();
            var test = new List<AnomalySample>();
            foreach (var r in rows.Where(r => r.Object == c))
            {
                var img = Path.Combine(root, r.Image);
                if (!File.Exists(img)) throw new DatasetException(img, $"image listed in {SplitFile} not found");
                bool anomalous = r.Label == "anomaly";
                string? mask = null;
                if (anomalous)
                {
                    if (string.IsNullOrWhiteSpace(r.Mask)) throw new DatasetException(img, $"defect image has no mask in {SplitFile}");
                    mask = Path.Combine(root, r.Mask);
                    if (!File.Exists(mask)) throw new DatasetException(img, $"defect image has no mask (expected {mask})");
                }
                var s = new AnomalySample(img, c, anomalous ? "anomaly" : AnomalySample.Good, anomalous, mask);
                if (r.Split == "train")
                {
                    if (anomalous) throw new DatasetException(img, "anomalous image in the train split");
                    train.Add(s);
                }
                else test.Add(s);
            }
            if (train.Count == 0) throw new DatasetException(Path.Combine(root, SplitFile), $"train set of '{c}' is empty");
            ImageFiles.CheckReadable(train.Concat(test));
            parts.Add(new CategoryData(c, train, test, true, Array.Empty<string>()));
        }
        return Protocols.Compose(datasetName, protocol, parts);
    }

    public static IReadOnlyList<string> Categories(string root) =>
        ReadSplit(root).Select(r => r.Object).Distinct().Order(StringComparer.Ordinal).ToList();

    sealed record Row(string Object, string Split, string Label, string Image, string Mask);

    static List<Row> ReadSplit(string root)
    {
        if (!Directory.Exists(root)) throw new DatasetException(root, "VisA root folder not found");
        var file = Path.Combine(root, SplitFile);
        if (!File.Exists(file)) throw new DatasetException(file, "VisA split file not found");
        var lines = File.ReadAllLines(file).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) throw new DatasetException(file, "empty split file");
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new DatasetException(file, $"missing column '{name}' (header: {lines[0]})");
        int o = Col("object"), sp = Col("split"), lb = Col("label"), im = Col("image"), mk = Col("mask");
        var rows = new List<Row>();
        for (int n = 1; n < lines.Count; n++)
        {
            var f = lines[n].Split(',');
            if (f.Length < header.Count) throw new DatasetException(file, $"line {n + 1} has {f.Length} fields, expected {header.Count}");
            var split = f[sp].Trim().ToLowerInvariant();
            var label = f[lb].Trim().ToLowerInvariant();
            if (split is not ("train" or "test")) throw new DatasetException(file, $"line {n + 1}: split '{f[sp]}' is not train/test");
            if (label is not ("normal" or "anomaly")) throw new DatasetException(file, $"line {n + 1}: label '{f[lb]}' is not normal/anomaly");
            rows.Add(new Row(f[o].Trim(), split, label, f[im].Trim(), f[mk].Trim()));
        }
        return rows;
    }
}
