using Workbench.Data;
using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;
using static TorchSharp.torch;

namespace Workbench.Tests.Data;

public class OtherLoaderTests
{
    static string VisaTree(TempDir d, bool dropMask = false)
    {
        var lines = new List<string> { "object,split,label,image,mask" };
        void Add(string obj, string split, string label, string img, string? mask, byte maskValue = 1)
        {
            DataTree.Png(Path.Combine(d.Path, img), 10, 8);
            if (mask != null) DataTree.Mask(Path.Combine(d.Path, mask), 10, 8, maskValue);
            lines.Add($"{obj},{split},{label},{img},{mask ?? ""}");
        }
        foreach (var obj in new[] { "candle", "pcb1" })
        {
            for (int i = 0; i < 3; i++) Add(obj, "train", "normal", $"{obj}/Data/Images/Normal/{i:D4}.JPG".Replace(".JPG", ".png"), null);
            Add(obj, "test", "normal", $"{obj}/Data/Images/Normal/t000.png", null);
            Add(obj, "test", "anomaly", $"{obj}/Data/Images/Anomaly/000.png", dropMask ? null : $"{obj}/Data/Masks/Anomaly/000.png");
        }
        Directory.CreateDirectory(Path.Combine(d.Path, "split_csv"));
        File.WriteAllLines(Path.Combine(d.Path, "split_csv", "1cls.csv"), lines);
        return d.Path;
    }

    [Fact]
    public void VisaLoadsThroughItsSplitFileAndTreatsNonzeroMasksAsAnomalous()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        var root = VisaTree(d);
        Assert.Equal(new[] { "candle", "pcb1" }, VisaLayout.Categories(root));
        var s = VisaLayout.Load(root, new[] { "pcb1" }, Protocols.OneClass);
        Assert.Equal(3, s.Train.Count);
        Assert.Equal(2, s.Test.Count);
        var anomaly = s.Test.Single(x => x.IsAnomalous);
        Assert.Equal("anomaly", anomaly.Defect);
        Assert.Equal(Path.Combine(root, "pcb1/Data/Masks/Anomaly/000.png"), anomaly.MaskPath);
        // mask pixels are 1 (not 255) in the left half: they must come out as 1.0
        var loader = new BatchLoader(s.Test, 8, new ImageStore(), CPU);
        using var b = loader.Take(new[] { s.Test.ToList().IndexOf(anomaly) });
        Assert.Equal(1f, b.Masks[0, 0, 4, 1].item<float>());
        Assert.Equal(0f, b.Masks[0, 0, 4, 7].item<float>());
        Assert.Equal(1L, b.Labels[0].item<long>());
        var multi = VisaLayout.Load(root, new[] { "candle", "pcb1" }, Protocols.MultiClass);
        Assert.Equal(6, multi.Train.Count);
    }

    [Fact]
    public void VisaErrorsNameTheSplitFileOrImage()
    {
        using var d = new TempDir();
        var root = VisaTree(d, dropMask: true);
        var ex = Assert.Throws<DatasetException>(() => VisaLayout.Load(root, new[] { "candle" }, Protocols.OneClass));
        Assert.Contains(Path.Combine(root, "candle/Data/Images/Anomaly/000.png"), ex.Message);
        var ex2 = Assert.Throws<DatasetException>(() => VisaLayout.Load(root, new[] { "fryum" }, Protocols.OneClass));
        Assert.Contains("1cls.csv", ex2.Message);
        Assert.Contains("candle", ex2.Message);
    }

    [Fact]
    public void FolderDatasetHoldsOutNormalsAndFindsMasks()
    {
        using var d = new TempDir();
        for (int i = 0; i < 10; i++) DataTree.Png(d.File($"normal/n{i}.png"), 6, 6);
        for (int i = 0; i < 3; i++) { DataTree.Png(d.File($"abnormal/a{i}.png"), 6, 6); DataTree.Mask(d.File($"masks/a{i}_mask.png"), 6, 6); }
        var s = FolderDataset.Load(d.File("normal"), d.File("abnormal"), d.File("masks"), seed: 3);
        Assert.Equal(8, s.Train.Count);
        Assert.Equal(2, s.Test.Count(x => !x.IsAnomalous));
        Assert.Equal(3, s.Test.Count(x => x.IsAnomalous && x.MaskPath != null));
        Assert.Empty(s.Train.Select(x => x.ImagePath).Intersect(s.Test.Select(x => x.ImagePath)));
        Assert.True(s.HasPixelLabels);
        var again = FolderDataset.Load(d.File("normal"), d.File("abnormal"), d.File("masks"), seed: 3);
        Assert.Equal(s.Train.Select(x => x.ImagePath), again.Train.Select(x => x.ImagePath));

        var noMasks = FolderDataset.Load(d.File("normal"), d.File("abnormal"));
        Assert.False(noMasks.HasPixelLabels);
        Assert.NotEmpty(noMasks.Warnings);

        File.Delete(d.File("masks/a1_mask.png"));
        var ex = Assert.Throws<DatasetException>(() => FolderDataset.Load(d.File("normal"), d.File("abnormal"), d.File("masks")));
        Assert.Contains(d.File("abnormal/a1.png"), ex.Message);
        var ex2 = Assert.Throws<DatasetException>(() => FolderDataset.Load(d.File("nothere"), d.File("abnormal")));
        Assert.Contains(d.File("nothere"), ex2.Message);
    }

    static byte[] CifarRecord(int label, int seed)
    {
        var r = new byte[3073];
        r[0] = (byte)label;
        for (int i = 1; i < r.Length; i++) r[i] = (byte)((i * 7 + seed * 13) % 256);
        return r;
    }

    [Fact]
    public void Cifar10ParsesBinaryBatchesAndBuildsTheOneClassSplit()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        // train batches: labels cycle 0..9 over 4 records per file (20 records: 2 of each class); test: 12 records
        for (int f = 1; f <= 5; f++)
            File.WriteAllBytes(d.File($"data_batch_{f}.bin"), Enumerable.Range(0, 4).SelectMany(i => CifarRecord(((f - 1) * 4 + i) % 10, f * 10 + i)).ToArray());
        File.WriteAllBytes(d.File("test_batch.bin"), Enumerable.Range(0, 12).SelectMany(i => CifarRecord(i % 10, 100 + i)).ToArray());

        var s = Cifar10OneClass.Load(d.Path, "cat");
        Assert.Equal(2, s.Train.Count);          // records 3 and 13 are class 3
        Assert.Equal(12, s.Test.Count);
        Assert.Equal(1, s.Test.Count(x => !x.IsAnomalous)); // test record 3
        Assert.Equal("dog", s.Test[5].Defect);
        Assert.False(s.HasPixelLabels);
        Assert.All(s.Test, x => Assert.Equal("cat", x.Category));

        // pixel (y=0,x=1) of test record 2: R at byte 1+1, G at 1+1024+1, B at 1+2048+1
        var rec = CifarRecord(2, 102);
        var img = InMemoryImages.Get(s.Test[2].ImagePath);
        Assert.Equal((32, 32), (img.Width, img.Height));
        Assert.Equal(new[] { rec[2], rec[1026], rec[2050] }, new[] { img[0, 1, 0], img[0, 1, 1], img[0, 1, 2] });

        var loader = new BatchLoader(s.Test, 16, new ImageStore(), CPU);
        using var b = loader.Take(new[] { 3, 4 });
        Assert.Equal(new long[] { 2, 3, 16, 16 }, b.Images.shape);
        Assert.Equal(new long[] { 0, 1 }, b.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Cifar10IsATrainableDataFormat()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        for (int f = 1; f <= 5; f++)
            File.WriteAllBytes(d.File($"data_batch_{f}.bin"), Enumerable.Range(0, 4).SelectMany(i => CifarRecord(((f - 1) * 4 + i) % 10, f * 10 + i)).ToArray());
        File.WriteAllBytes(d.File("test_batch.bin"), Enumerable.Range(0, 12).SelectMany(i => CifarRecord(i % 10, 100 + i)).ToArray());
        // what `workbench train --data-format cifar10 --categories cat --protocol one-class` builds
        var split = Workbench.Engine.DataSetup.Load(new Workbench.Engine.DataConfig("cifar10", d.Path, new[] { "cat" }, "one-class", 32), 0);
        Assert.Equal(2, split.Train.Count);
        Assert.Equal(12, split.Test.Count);
        Assert.False(split.HasPixelLabels);
    }

    [Fact]
    public void Cifar10RejectsATruncatedFile()
    {
        using var d = new TempDir();
        for (int f = 1; f <= 5; f++) File.WriteAllBytes(d.File($"data_batch_{f}.bin"), CifarRecord(0, f));
        File.WriteAllBytes(d.File("test_batch.bin"), CifarRecord(1, 0).Take(3000).ToArray());
        var ex = Assert.Throws<DatasetException>(() => Cifar10OneClass.Load(d.Path, "0"));
        Assert.Contains(d.File("test_batch.bin"), ex.Message);
        Assert.Contains("3073", ex.Message);
    }
}
