using Workbench.Imaging;

namespace Workbench.Data;

/// <summary>
/// A picture of a dataset: one row per category — the first normal training images, then the
/// first test image of each defect type with its mask outlined in red. For checking that data
/// looks as intended (results/data/).
/// </summary>
public static class DefectGallery
{
    public static RasterImage Build(DatasetSplit split, int size, int normalsPerRow = 2, ImageStore? store = null)
    {
        store ??= new ImageStore();
        var rows = new List<IReadOnlyList<RasterImage>>();
        foreach (var cat in split.Categories)
        {
            var row = new List<RasterImage>();
            foreach (var s in split.Train.Where(s => s.Category == cat).Take(normalsPerRow))
                row.Add(store.Load(new ImageRequest(s.ImagePath, size, size, IsMask: false)));
            foreach (var s in split.Test.Where(s => s.Category == cat && s.IsAnomalous).GroupBy(s => s.Defect).Select(g => g.First()))
            {
                var img = store.Load(new ImageRequest(s.ImagePath, size, size, IsMask: false));
                if (s.MaskPath != null)
                    img = Heatmap.Contour(img, store.Load(new ImageRequest(s.MaskPath, size, size, IsMask: true, MaskResize.Nearest)), (255, 0, 0));
                row.Add(img);
            }
            rows.Add(row);
        }
        return PngWriter.Grid(rows);
    }
}
