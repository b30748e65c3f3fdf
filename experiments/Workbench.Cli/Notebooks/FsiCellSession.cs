using FSharp.Compiler.Diagnostics;
using static FSharp.Compiler.Interactive.Shell;
using Microsoft.FSharp.Core;

namespace Workbench.Cli.Notebooks;

/// <summary>What evaluating one cell gave: its value (null for unit or declarations), warnings, or an error.</summary>
public sealed record CellEvaluation(object? Value, IReadOnlyList<string> Warnings, CellError? Error);

/// <summary>A compiler error (Kind "CompilationError") or the exception the cell threw.</summary>
public sealed record CellError(string Kind, string Message, IReadOnlyList<string> Details);

/// <summary>
/// One hosted F# interactive session (FSharp.Compiler.Service) that cells run in, in order, sharing
/// their bindings as in a notebook kernel. It runs in this process, so a cell's <c>#r</c> of
/// core/bin/.../Workbench.Core.dll binds at run time to the copy this process already loaded (same
/// assembly identity): one TorchSharp, one native libtorch.
/// </summary>
public sealed class FsiCellSession : IDisposable
{
    readonly FsiEvaluationSession session;
    readonly string scriptPath;

    /// <param name="scriptPath">a file name in the notebook's folder: relative #load/#r resolve from its folder</param>
    public FsiCellSession(string scriptPath, TextWriter fsiOut, TextWriter fsiErr)
    {
        this.scriptPath = scriptPath;
        var config = FsiEvaluationSession.GetDefaultConfiguration();
        // --quiet: no "val x: int = 1" echo; values are shown from the result, as a notebook kernel does.
        var argv = new[] { "fsi", "--noninteractive", "--nologo", "--quiet", "--gui-", "--optimize+", "--warn:3" };
        session = FsiEvaluationSession.Create(config, argv, new StringReader(""), fsiOut, fsiErr,
            FSharpOption<bool>.Some(false), null);
    }

    public CellEvaluation Evaluate(string code, CancellationToken cancel = default)
    {
        var (result, diagnostics) = session.EvalInteractionNonThrowing(code, scriptPath, FSharpOption<CancellationToken>.Some(cancel));
        var warnings = diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Warning).Select(Describe).ToList();
        var errors = diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Error).Select(Describe).ToList();
        if (errors.Count > 0)
            return new CellEvaluation(null, warnings, new CellError("CompilationError", errors[0], errors));
        if (result is FSharpChoice<FSharpOption<FsiValue>?, Exception>.Choice2Of2 thrown)
        {
            var e = Unwrap(thrown.Item);
            return new CellEvaluation(null, warnings, new CellError(e.GetType().Name, e.Message, (e.ToString()).Split('\n')));
        }
        var value = ((FSharpChoice<FSharpOption<FsiValue>?, Exception>.Choice1Of2)result).Item;
        object? shown = value is null || value.Value.ReflectionType == typeof(void) || value.Value.ReflectionType == typeof(Unit)
            ? null : value.Value.ReflectionValue;
        return new CellEvaluation(shown, warnings, null);
    }

    static string Describe(FSharpDiagnostic d) =>
        $"({d.StartLine},{d.StartColumn + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.ErrorNumberText}: {d.Message}";

    /// <summary>Runtime errors arrive wrapped by reflection invocation; show the cell's own exception.</summary>
    static Exception Unwrap(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null) e = e.InnerException!;
        return e;
    }

    public void Dispose() => (session as IDisposable)?.Dispose();
}
