using System.CommandLine;
using Workbench.Cli.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>`workbench notebook run NB.ipynb [--out FILE]`: executes an F# notebook headlessly in the real kernel and writes it back with outputs.</summary>
public static class NotebookCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("notebook") { Description = "the .ipynb to execute" };
        var outFile = new Option<string?>("--out") { Description = "where the executed notebook goes (default: overwrite the input)" };
        var run = new Command("run", "Execute the F# code cells in order in the dotnet-interactive kernel (.config/dotnet-tools.json); write the notebook with its outputs; exit 1 on the first failing cell.") { path, outFile };
        run.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            var input = p.GetValue(path)!;
            var output = p.GetValue(outFile) ?? input;
            var doc = IpynbDocument.Load(input);
            NotebookRunResult result;
            try { result = new NotebookRunner(Console.Out).Run(doc, input); }
            catch (KernelUnavailableException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
            doc.Save(output);
            Console.WriteLine($"{input}: {result.CodeCellsRun} code cells in {result.Elapsed.TotalSeconds:F1} s → {output}");
            if (result.Succeeded) return 0;
            Console.Error.WriteLine($"error: {result.Error}");
            return 1;
        });
        return new Command("notebook", "F# notebooks (.ipynb), run headless in dotnet-interactive.") { run };
    }
}
