using Workbench.Data;
using Workbench.Imaging;
using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Data;

public class MvtecLayoutTests
{
    [Fact]
    public void LoadsOneCategoryWithMasks()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "widget");
        var s = MvtecLayout.Load(d.Path, new[] { "widget" }, Protocols.OneClass);
        Assert.Equal("mvtec_ad", s.Dataset);
        Assert.Equal(3, s.Train.Count);
        Assert.Equal(5, s.Test.Count);
        Assert.True(s.HasPixelLabels);
        Assert.Empty(s.Warnings);
        Assert.All(s.Train, x => { Assert.False(x.IsAnomalous); Assert.Null(x.MaskPath); Assert.Equal("good", x.Defect); });
        var cracks = s.Test.Where(x => x.Defect == "crack").ToList();
        Assert.Equal(2, cracks.Count);
        Assert.All(cracks, x => { Assert.True(x.IsAnomalous); Assert.EndsWith(Path.Combine("ground_truth", "crack", Path.GetFileNameWithoutExtension(x.ImagePath) + "_mask.png"), x.MaskPath); });
        Assert.All(s.Test.Where(x => x.Defect == "good"), x => Assert.Null(x.MaskPath));
        Assert.Equal(new[] { "widget" }, MvtecLayout.Categories(d.Path));
    }

    [Fact]
    public void GrayscaleCategoryBatchesAsThreeEqualChannels()
    {
        TorchRuntime.EnsureLoaded();
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "grid", gray: true);
        var s = MvtecLayout.Load(d.Path, new[] { "grid" }, Protocols.OneClass);
        var loader = new BatchLoader(s.Test, 8, new ImageStore(), TorchSharp.torch.CPU);
        using var b = loader.Take(new[] { 0, 2 });
        Assert.Equal(new long[] { 2, 3, 8, 8 }, b.Raw.shape);
        Assert.True(b.Raw[0, 0].eq(b.Raw[0, 1]).all().item<bool>());
        Assert.True(b.Raw[1, 2].eq(b.Raw[1, 0]).all().item<bool>());
    }

    [Fact]
    public void MultiClassPoolsTrainAndKeepsCategoriesForEvaluation()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        DataTree.Mvtec(d.Path, "b", gray: true);
        var s = MvtecLayout.Load(d.Path, new[] { "a", "b" }, Protocols.MultiClass);
        Assert.Equal(Protocols.MultiClass, s.Protocol);
        Assert.Equal(6, s.Train.Count);
        Assert.Equal(10, s.Test.Count);
        Assert.Equal(5, s.TestOf("b").Count);
        var ex = Assert.Throws<ArgumentException>(() => MvtecLayout.Load(d.Path, new[] { "a", "b" }, Protocols.OneClass));
        Assert.Contains("one-class", ex.Message);
        var specs = new DataSpec("mvtec_ad", d.Path, Array.Empty<string>(), "one-class", 64, 0).Load();
        Assert.Equal(new[] { "a", "b" }, specs.Select(x => x.Categories.Single()));
    }

    [Fact]
    public void MissingCategoryNamesThePathAndTheAvailableOnes()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        var ex = Assert.Throws<DatasetException>(() => MvtecLayout.Load(d.Path, new[] { "nope" }, Protocols.OneClass));
        Assert.Contains(Path.Combine(d.Path, "nope"), ex.Message);
        Assert.Contains("available: a", ex.Message);
    }

    [Fact]
    public void EmptyTrainSetIsAnError()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        foreach (var f in Directory.GetFiles(Path.Combine(d.Path, "a", "train", "good"))) File.Delete(f);
        var ex = Assert.Throws<DatasetException>(() => MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass));
        Assert.Contains(Path.Combine(d.Path, "a", "train", "good"), ex.Message);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void DefectImageWithoutMaskIsAnError()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        File.Delete(Path.Combine(d.Path, "a", "ground_truth", "crack", "001_mask.png"));
        var ex = Assert.Throws<DatasetException>(() => MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass));
        Assert.Contains(Path.Combine(d.Path, "a", "test", "crack", "001.png"), ex.Message);
        Assert.Contains("001_mask.png", ex.Message);
    }

    [Fact]
    public void MaskOfAnotherSizeIsAnError()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        var mask = Path.Combine(d.Path, "a", "ground_truth", "hole", "000_mask.png");
        DataTree.Mask(mask, 7, 10);
        var ex = Assert.Throws<DatasetException>(() => MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass));
        Assert.Contains(mask, ex.Message);
        Assert.Contains("7×10", ex.Message);
        Assert.Contains("12×10", ex.Message);
    }

    [Fact]
    public void UnreadableImageIsAnErrorNamingIt()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a");
        var bad = Path.Combine(d.Path, "a", "train", "good", "001.png");
        File.WriteAllText(bad, "not a png");
        var ex = Assert.Throws<DatasetException>(() => MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass));
        Assert.Contains(bad, ex.Message);
    }

    [Fact]
    public void NoGroundTruthFolderDegradesToImageLevelWithAWarning()
    {
        using var d = new TempDir();
        DataTree.Mvtec(d.Path, "a", groundTruth: false);
        var s = MvtecLayout.Load(d.Path, new[] { "a" }, Protocols.OneClass, "mpdd");
        Assert.False(s.HasPixelLabels);
        Assert.Equal("mpdd", s.Dataset);
        Assert.Equal(3, s.Test.Count(x => x.IsAnomalous));
        Assert.All(s.Test, x => Assert.Null(x.MaskPath));
        Assert.Contains(s.Warnings, w => w.Contains("ground_truth") && w.Contains("image level"));
    }

    [SkippableFact]
    public void BottleHasTheExpectedCounts()
    {
        var root = Path.GetDirectoryName(SharedData.RequireDir("data/mvtec_ad/bottle"))!;
        var s = MvtecLayout.Load(root, new[] { "bottle" }, Protocols.OneClass);
        Assert.Equal(209, s.Train.Count);
        Assert.Equal(83, s.Test.Count);
        Assert.Equal(63, s.Test.Count(x => x.MaskPath != null));
        Assert.Equal(63, s.Test.Count(x => x.IsAnomalous));
        Assert.Equal(new[] { "broken_large", "broken_small", "contamination", "good" }, s.Test.Select(x => x.Defect).Distinct().Order());
        Assert.True(s.HasPixelLabels);
    }
}
