using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// The dotnet-interactive kernel the tests run notebooks in, restored once per test run from the repository's
/// .config/dotnet-tools.json. Where it cannot be restored (no package source serves it) the kernel tests are
/// skipped with the restore's own error; on a machine with the project's package mirror they run.
/// </summary>
public static class KernelRequirement
{
    static readonly Lazy<string?> Unavailable = new(() =>
    {
        try { KernelTool.Restore(NotebookFiles.RepoRoot); return null; }
        catch (KernelUnavailableException e) { return e.Message; }
    });

    public static void SkipUnlessRestored() => Skip.If(Unavailable.Value != null, $"dotnet-interactive unavailable: {Unavailable.Value}");
}
