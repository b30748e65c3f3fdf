using Workbench.Data;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Data;

public class CombinedRootTests
{
    [Fact]
    public void LinksCategoriesKeepsSameLinksAndRefusesOthers()
    {
        using var d = new TempDir();
        var x = Directory.CreateDirectory(Path.Combine(d.Path, "src1", "bottle")).FullName;
        var y = Directory.CreateDirectory(Path.Combine(d.Path, "src2", "hexnut")).FullName;
        File.WriteAllText(Path.Combine(x, "marker.txt"), "bottle");
        var root = Path.Combine(d.Path, "combined");
        var cats = new Dictionary<string, string> { ["bottle"] = x, ["hexnut"] = y };
        CombinedRoot.Link(root, cats);
        Assert.Equal("bottle", File.ReadAllText(Path.Combine(root, "bottle", "marker.txt")));
        Assert.Equal(y, new DirectoryInfo(Path.Combine(root, "hexnut")).LinkTarget);
        CombinedRoot.Link(root, cats);                                              // idempotent
        Assert.Throws<DatasetException>(() => CombinedRoot.Link(root, new Dictionary<string, string> { ["bottle"] = y }));
        Directory.CreateDirectory(Path.Combine(root, "real"));
        Assert.Throws<DatasetException>(() => CombinedRoot.Link(root, new Dictionary<string, string> { ["real"] = x }));
        Assert.Throws<DatasetException>(() => CombinedRoot.Link(root, new Dictionary<string, string> { ["gone"] = Path.Combine(d.Path, "missing") }));
    }
}
