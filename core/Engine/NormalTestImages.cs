using Workbench.Data;
using Workbench.Data.Synthesis;
using Workbench.Imaging;
using static TorchSharp.torch;

namespace Workbench.Engine;

/// <summary>The normal test images of each category of a dataset config, as in-memory tensors for synthesis.</summary>
public static class NormalTestImages
{
    /// <summary>One <see cref="CategoryImages"/> per requested category (in that order), on the CPU.</summary>
    public static IReadOnlyList<CategoryImages> Load(DataConfig data, IReadOnlyList<string> categories, int seed = 0, ImageStore? store = null)
    {
        var split = DataSetup.Load(data with { Protocol = "multi-class", Categories = categories }, seed);
        var loader = new BatchLoader(split.Test, data.ImageSize, store ?? new ImageStore(ImageStore.DefaultCacheDir()), CPU);
        var result = new List<CategoryImages>();
        foreach (var c in categories)
        {
            var idx = Enumerable.Range(0, split.Test.Count).Where(i => split.Test[i].Category == c && !split.Test[i].IsAnomalous).ToList();
            if (idx.Count == 0) throw new DatasetException(Path.Combine(data.Root, c), "no normal test images");
            using var batch = loader.Take(idx);
            result.Add(new CategoryImages(c, batch.Raw.clone(), idx.Select(i => c + "/" + Path.GetFileName(split.Test[i].ImagePath)).ToList()));
        }
        return result;
    }
}
