namespace Workbench.Data;

/// <summary>
/// An MVTec-layout root whose category folders are symbolic links to category folders elsewhere
/// (e.g. MVTec AD bottle next to a generated synthetic category), so one DataConfig root can name
/// categories from different datasets without copying any image.
/// </summary>
public static class CombinedRoot
{
    /// <summary>
    /// Creates <paramref name="root"/> with one link per (category name → folder). An existing link to
    /// the same folder is kept; anything else at that name is an error (never overwritten).
    /// </summary>
    public static string Link(string root, IReadOnlyDictionary<string, string> categories)
    {
        if (categories.Count == 0) throw new ArgumentException("a combined root needs at least one category");
        Directory.CreateDirectory(root);
        foreach (var (name, target) in categories)
        {
            var full = Path.GetFullPath(target);
            if (!Directory.Exists(full)) throw new DatasetException(full, $"category folder for '{name}' not found");
            var link = Path.Combine(root, name);
            if (new FileInfo(link).LinkTarget is { } existing)
            {
                if (Path.GetFullPath(existing, Path.GetFullPath(root)) == full) continue;
                throw new DatasetException(link, $"links to {existing}, not {full}; remove the link or choose another root");
            }
            if (Directory.Exists(link) || File.Exists(link))
                throw new DatasetException(link, $"already exists and is not a link to {full}; remove it or choose another root");
            Directory.CreateSymbolicLink(link, full);
        }
        return root;
    }
}
