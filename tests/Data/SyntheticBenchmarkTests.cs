using System.Security.Cryptography;
using Workbench.Data;
using Workbench.Data.Synthetic;
using Workbench.Imaging;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Data;

public class SyntheticBenchmarkTests
{
    static readonly SyntheticOptions Tiny = new(Size: 48, TrainPerCategory: 2, TestGoodPerCategory: 1, TestPerDefect: 1, Seed: 3);

    static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void SameSeedGivesIdenticalBytes()
    {
        using var d = new TempDir();
        var opts = Tiny with { Categories = new[] { "woven", "washer", "hexnut" } };
        SyntheticBenchmark.Generate(d.File("a"), opts);
        SyntheticBenchmark.Generate(d.File("b"), opts);
        SyntheticBenchmark.Generate(d.File("c"), opts with { Seed = 4 });
        var a = Hashes(d.File("a"));
        Assert.Equal(a, Hashes(d.File("b")));
        var c = Hashes(d.File("c"));
        Assert.Equal(a.Keys.Order(), c.Keys.Order());
        Assert.NotEqual(a[Path.Combine("woven", "train", "good", "000.png")], c[Path.Combine("woven", "train", "good", "000.png")]);
    }

    [Fact]
    public void AllCategoriesLoadWithTheMvtecLoaderAndHaveMasks()
    {
        using var d = new TempDir();
        SyntheticBenchmark.Generate(d.Path, Tiny);
        Assert.Equal(SyntheticBenchmark.AllCategories.Order(), MvtecLayout.Categories(d.Path));
        var s = MvtecLayout.Load(d.Path, SyntheticBenchmark.AllCategories, Protocols.MultiClass, SyntheticBenchmark.DatasetName);
        Assert.True(s.HasPixelLabels);
        Assert.Equal(6 * 2, s.Train.Count);
        Assert.Equal(6 * (1 + 3), s.Test.Count);
        Assert.Equal(6, SyntheticBenchmark.AllCategories.Count);
        foreach (var x in s.Test.Where(x => x.IsAnomalous))
        {
            var m = ImageDecoder.DecodeGray(x.MaskPath!);
            Assert.Equal((48, 48), (m.Width, m.Height));
            Assert.All(m.Pixels, v => Assert.True(v is 0 or 255));
            Assert.True(m.Pixels.Count(v => v == 255) >= 6, $"{x.MaskPath} is (nearly) empty");
        }
    }

    [Fact]
    public void DefectsAreLocalAndTrainImagesVary()
    {
        // the defect changes pixels mostly inside its mask, and two normal images differ
        foreach (var cat in SyntheticBenchmark.AllCategories)
        {
            var (n0, _) = SyntheticBenchmark.Render(cat, "good", 64, 1);
            var (n1, _) = SyntheticBenchmark.Render(cat, "good", 64, 2);
            Assert.True(MeanAbs(n0.Data, n1.Data) > 0.01, $"{cat}: normal images do not vary");
            foreach (var defect in DefectPainter.DefectsOf[cat])
            {
                var (img, mask) = SyntheticBenchmark.Render(cat, defect, 64, 7);
                Assert.NotNull(mask);
                int area = mask!.Count(v => v != 0);
                Assert.InRange(area, 6, 64 * 64 / 8);
            }
        }
    }

    [Fact]
    public void DefectChangesStayNearTheirMask()
    {
        // Same seed ⇒ same normal scene; the defect version must differ from it only in and
        // right around (2 px) its mask (apart from faint antialiasing fringes), and visibly inside it.
        const int n = 64;
        foreach (var cat in SyntheticBenchmark.AllCategories)
            foreach (var defect in DefectPainter.DefectsOf[cat])
            {
                var (normal, _) = SyntheticBenchmark.Render(cat, "good", n, 11);
                var (img, mask) = SyntheticBenchmark.Render(cat, defect, n, 11);
                var near = Dilate(mask!, n, 2);
                double inside = 0; int inCount = 0, changedFar = 0;
                for (int i = 0; i < n * n; i++)
                {
                    double diff = Enumerable.Range(0, 3).Max(c => Math.Abs(img.Data[i * 3 + c] - normal.Data[i * 3 + c]));
                    if (mask![i] != 0) { inside += diff; inCount++; }
                    else if (!near[i] && diff > 0.15) changedFar++; // beyond sub-pixel antialiasing fringes
                }
                Assert.True(changedFar == 0, $"{cat}/{defect}: {changedFar} pixels changed away from the mask");
                Assert.True(inside / inCount > 0.05, $"{cat}/{defect}: mean change inside the mask only {inside / inCount:F3}");
            }
    }

    static bool[] Dilate(byte[] m, int n, int r)
    {
        var o = new bool[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                if (m[y * n + x] != 0)
                    for (int dy = -r; dy <= r; dy++)
                        for (int dx = -r; dx <= r; dx++)
                        {
                            int yy = y + dy, xx = x + dx;
                            if (yy >= 0 && xx >= 0 && yy < n && xx < n) o[yy * n + xx] = true;
                        }
        return o;
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => SyntheticBenchmark.Generate(Path.GetTempPath(), new SyntheticOptions(Categories: new[] { "bogus" })));
        Assert.Throws<ArgumentException>(() => SyntheticBenchmark.Generate(Path.GetTempPath(), new SyntheticOptions(Size: 8)));
    }

    [Fact]
    public void EnsureAtRegeneratesACopyFromAnOlderGeneratorWithItsRecordedOptions()
    {
        using var d = new TempDir();
        var opts = Tiny with { Categories = new[] { "grainy" } };
        SyntheticBenchmark.Generate(d.File("fresh"), opts);
        SyntheticBenchmark.Generate(d.File("old"), opts);
        var marker = Path.Combine(d.File("old"), "synthetic.json");
        File.WriteAllText(marker, File.ReadAllText(marker).Replace($"\"version\": {SyntheticBenchmark.Version}", "\"version\": 1"));
        var png = Path.Combine(d.File("old"), "grainy", "train", "good", "000.png");
        File.WriteAllBytes(png, new byte[] { 1, 2, 3 }); // stands in for an old generator's bytes

        // options passed for a missing folder (other size and category) must not replace the recorded ones
        var said = SyntheticBenchmark.EnsureAt(d.File("old"), new SyntheticOptions(Size: 64, Categories: new[] { "woven" }));
        Assert.Contains("v1", said);
        Assert.Equal(Hashes(d.File("fresh")), Hashes(d.File("old")));
        Assert.Null(SyntheticBenchmark.EnsureAt(d.File("old"), opts)); // current copy: left alone
    }

    [Fact]
    public void EnsureAtRefusesAFolderThatIsNotAFinishedCopy()
    {
        using var d = new TempDir();
        Directory.CreateDirectory(Path.Combine(d.Path, "half", "grainy", "train", "good"));
        var e = Assert.Throws<ArgumentException>(() => SyntheticBenchmark.EnsureAt(d.File("half"), Tiny));
        Assert.Contains(d.File("half"), e.Message);
        Assert.Contains("synthetic.json", e.Message);
    }

    [Fact]
    public void TheRunSeedDoesNotChangeTheGeneratedBenchmark()
    {
        using var d = new TempDir();
        var data = new Workbench.Engine.DataConfig("synthetic", d.File("s1"), new[] { "pill" }, "one-class", 32);
        Workbench.Engine.DataSetup.Load(data, seed: 1);
        Workbench.Engine.DataSetup.Load(data with { Root = d.File("s7") }, seed: 7);
        Assert.Equal(Hashes(d.File("s1")), Hashes(d.File("s7")));
    }

    [Fact]
    public void EnsureGeneratedWritesOnceUnderTheCache()
    {
        using var d = new TempDir();
        var before = Environment.GetEnvironmentVariable("WORKBENCH_CACHE");
        Environment.SetEnvironmentVariable("WORKBENCH_CACHE", d.Path);
        try
        {
            var opts = Tiny with { Categories = new[] { "grainy" } };
            var root = SyntheticBenchmark.EnsureGenerated(opts);
            Assert.StartsWith(d.Path, root);
            Assert.Equal(new[] { "grainy" }, MvtecLayout.Categories(root));
            var stamp = File.GetLastWriteTimeUtc(Path.Combine(root, "grainy", "train", "good", "000.png"));
            Thread.Sleep(20);
            Assert.Equal(root, SyntheticBenchmark.EnsureGenerated(opts));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(root, "grainy", "train", "good", "000.png")));
            Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(root)!, "*.tmp-*"));
        }
        finally { Environment.SetEnvironmentVariable("WORKBENCH_CACHE", before); }
    }

    static double MeanAbs(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
}
