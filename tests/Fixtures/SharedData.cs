namespace Workbench.Tests.Fixtures;

/// <summary>
/// Locates ../shared beside the project root (data and weights that are never committed).
/// Tests that need it call <see cref="RequireDir"/>/<see cref="RequireFile"/>, which skip the
/// test with a reason when the folder is absent (a clone elsewhere has no ../shared).
/// </summary>
public static class SharedData
{
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("WORKBENCH_SHARED");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Workbench.sln")))
                {
                    var shared = System.IO.Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared");
                    return Directory.Exists(shared) ? shared : null;
                }
            return null;
        }
    }

    public static string RequireDir(string relative)
    {
        var p = Root is { } r ? System.IO.Path.Combine(r, relative) : null;
        Skip.IfNot(p != null && Directory.Exists(p), $"shared data '{relative}' not present");
        return p!;
    }

    public static string RequireFile(string relative)
    {
        var p = Root is { } r ? System.IO.Path.Combine(r, relative) : null;
        Skip.IfNot(p != null && File.Exists(p), $"shared file '{relative}' not present");
        return p!;
    }
}
