using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>`workbench quick`: the README's main job. Until the data and engine land it prints
/// the environment and runs the native smoke check; it then grows into the quick experiment.</summary>
public static class QuickCommand
{
    public static Command Create()
    {
        var cmd = new Command("quick", "The main job on built-in data (for now: environment report + native smoke run).");
        cmd.SetAction(parse =>
        {
            int rc = InfoCommand.Create().Parse(Array.Empty<string>()).Invoke();
            if (rc != 0) return rc;
            return SmokeCommand.Create().Parse(Array.Empty<string>()).Invoke();
        });
        return cmd;
    }
}
