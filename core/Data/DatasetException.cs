namespace Workbench.Data;

/// <summary>A dataset on disk that does not have the expected shape; the message names the path.</summary>
public sealed class DatasetException(string path, string reason) : IOException($"{path}: {reason}")
{
    public string Path { get; } = path;
}
