using System.Security.Cryptography;
using System.Text;
using Workbench.Imaging;

namespace Workbench.Data;

/// <summary>
/// CIFAR-10 one-class protocol from the official binary batches (data_batch_1..5.bin,
/// test_batch.bin; 3073 bytes per record: 1 label byte, then 1024 R, 1024 G, 1024 B, row-major
/// 32×32). Train: the training images of the normal class. Test: all 10,000 test images, the
/// normal class normal and the other nine anomalous (image level only; Defect = the true class
/// name). Pixels stay in memory (<see cref="InMemoryImages"/>), samples carry virtual paths.
/// </summary>
public static class Cifar10OneClass
{
    public static readonly IReadOnlyList<string> ClassNames =
        new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    public const int RecordBytes = 3073, Side = 32;

    /// <param name="root">folder with the .bin batches (or its parent holding cifar-10-batches-bin/).</param>
    /// <param name="normalClass">class name ("cat") or index ("3").</param>
    public static DatasetSplit Load(string root, string normalClass)
    {
        int normal = ClassIndex(normalClass);
        var dir = BatchFolder(root);
        var (trainImgs, trainLabels) = ReadBatches(Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")));
        var (testImgs, testLabels) = ReadBatches(new[] { Path.Combine(dir, "test_batch.bin") });

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dir))))[..8];
        var trainNormal = trainImgs.Where((_, i) => trainLabels[i] == normal).ToList();
        var trainSet = $"cifar10-{key}-train-{normal}";
        var testSet = $"cifar10-{key}-test";
        InMemoryImages.Register(trainSet, trainNormal);
        InMemoryImages.Register(testSet, testImgs);

        var cat = ClassNames[normal];
        var train = trainNormal.Select((_, i) => new AnomalySample(InMemoryImages.PathOf(trainSet, i), cat, AnomalySample.Good, false, null)).ToList();
        var test = testImgs.Select((_, i) => testLabels[i] == normal
            ? new AnomalySample(InMemoryImages.PathOf(testSet, i), cat, AnomalySample.Good, false, null)
            : new AnomalySample(InMemoryImages.PathOf(testSet, i), cat, ClassNames[testLabels[i]], true, null)).ToList();
        if (train.Count == 0) throw new DatasetException(dir, $"no training images of class {cat}");
        return new DatasetSplit("cifar10", new[] { cat }, Protocols.OneClass, train, test, HasPixelLabels: false)
        { Warnings = new[] { "cifar10: image-level labels only (no pixel metrics)" } };
    }

    public static int ClassIndex(string name)
    {
        if (int.TryParse(name, out int i) && i is >= 0 and < 10) return i;
        int k = ClassNames.ToList().IndexOf(name.Trim().ToLowerInvariant());
        return k >= 0 ? k : throw new ArgumentException($"CIFAR-10 class '{name}': expected 0-9 or one of {string.Join(", ", ClassNames)}");
    }

    static string BatchFolder(string root)
    {
        if (File.Exists(Path.Combine(root, "test_batch.bin"))) return root;
        var sub = Path.Combine(root, "cifar-10-batches-bin");
        if (File.Exists(Path.Combine(sub, "test_batch.bin"))) return sub;
        throw new DatasetException(root, "no CIFAR-10 binary batches (test_batch.bin) here or in cifar-10-batches-bin/");
    }

    /// <summary>Parses binary batch files into 32×32 RGB rasters and labels.</summary>
    public static (List<RasterImage> Images, List<int> Labels) ReadBatches(IEnumerable<string> files)
    {
        var imgs = new List<RasterImage>();
        var labels = new List<int>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new DatasetException(f, "CIFAR-10 batch file not found");
            var bytes = File.ReadAllBytes(f);
            if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
                throw new DatasetException(f, $"{bytes.Length} bytes is not a whole number of {RecordBytes}-byte CIFAR-10 records");
            const int plane = Side * Side;
            for (int r = 0; r < bytes.Length / RecordBytes; r++)
            {
                int o = r * RecordBytes;
                int label = bytes[o];
                if (label > 9) throw new DatasetException(f, $"record {r} has label {label} (expected 0-9)");
                var px = new byte[plane * 3];
                for (int i = 0; i < plane; i++)
                {
                    px[i * 3] = bytes[o + 1 + i];
                    px[i * 3 + 1] = bytes[o + 1 + plane + i];
                    px[i * 3 + 2] = bytes[o + 1 + 2 * plane + i];
                }
                imgs.Add(new RasterImage(Side, Side, 3, px));
                labels.Add(label);
            }
        }
        return (imgs, labels);
    }
}
