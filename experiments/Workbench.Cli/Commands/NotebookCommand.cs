using System.CommandLine;
using Workbench.Cli.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>`workbench notebook run NB.ipynb [--out FILE]`: executes an F# notebook headlessly and writes it back with outputs.</summary>
public static class NotebookCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("notebook") { Description = "the .ipynb to execute" };
        var outFile = new Option<string?>("--out") { Description = "where the executed notebook goes (default: overwrite the input)" };
        var run = new Command("run", "Execute the F# code cells in order; write the notebook with outputs; exit 1 on the first failing cell.") { path, outFile };
        run.SetAction(p =>
        {
            GlobalOptions.Apply(p);
            var input = p.GetValue(path)!;
            var output = p.GetValue(outFile) ?? input;
            var doc = IpynbDocument.Load(input);
            var result = new NotebookRunner(Console.Out).Run(doc, input);
            doc.Save(output);
            Console.WriteLine($"{input}: {result.CodeCellsRun} code cells in {result.Elapsed.TotalSeconds:F1} s → {output}");
            if (result.Succeeded) return 0;
            Console.Error.WriteLine($"error: {result.Error}");
            return 1;
        });
        return new Command("notebook", "F# notebooks (.ipynb) without a Jupyter kernel.") { run };
    }
}
