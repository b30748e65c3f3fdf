using System.Collections.Concurrent;
using Workbench.Imaging;

namespace Workbench.Data;

/// <summary>
/// Images that live in memory rather than in files (CIFAR-10's binary batches). A sample's
/// ImagePath is the virtual path "memory:&lt;set&gt;:&lt;index&gt;"; <see cref="BatchLoader"/> resolves it
/// here, so in-memory datasets flow through the same loaders as file datasets. Sets are
/// process-wide and named by their content source (e.g. "cifar10-&lt;root hash&gt;-test").
/// </summary>
public static class InMemoryImages
{
    const string Scheme = "memory:";
    static readonly ConcurrentDictionary<string, IReadOnlyList<RasterImage>> sets = new();

    public static bool IsMemoryPath(string path) => path.StartsWith(Scheme, StringComparison.Ordinal);

    public static string PathOf(string set, int index) => $"{Scheme}{set}:{index}";

    public static void Register(string set, IReadOnlyList<RasterImage> images)
    {
        if (set.Contains(':')) throw new ArgumentException($"set name '{set}' must not contain ':'");
        sets[set] = images;
    }

    public static RasterImage Get(string path)
    {
        if (!IsMemoryPath(path)) throw new ArgumentException($"{path}: not a memory: path");
        int colon = path.LastIndexOf(':');
        var set = path[Scheme.Length..colon];
        if (!sets.TryGetValue(set, out var images)) throw new DatasetException(path, $"in-memory image set '{set}' is not loaded in this process");
        if (!int.TryParse(path[(colon + 1)..], out int i) || i < 0 || i >= images.Count)
            throw new DatasetException(path, $"index out of range for set '{set}' ({images.Count} images)");
        return images[i];
    }
}
