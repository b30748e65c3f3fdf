// Diagnostic for the README's known issue "Expected false to be true ... toFloat at Scalar.h:140".
// TorchSharp 0.107's `a + b` calls add(b, alpha = 1), converting 1 to a temporary Scalar whose raw
// handle is passed to native code; nothing keeps the managed Scalar alive during the call, so a GC on
// another thread can finalize (free) it while libtorch still reads it (cf. TorchSharp PRs #1434, #1496).
// This script provokes that: a second thread forces gen-0 GCs while the main thread adds tensors,
//   (a) with the implicit Scalar (TorchSharp's default path), then
//   (b) with an explicit Scalar the caller keeps alive. If (a) fails and (b) does not, the diagnosis holds.
//   dotnet fsi experiments/diagnostics/scalar-finalizer-race.fsx [seconds per case, default 60]
#load "../Prelude.fsx"
open System
open System.Threading
open TorchSharp

let seconds = if fsi.CommandLineArgs.Length > 1 then float fsi.CommandLineArgs.[1] else 60.
torch.set_num_threads 1
torch.manual_seed 0L |> ignore
let a = torch.randn([| 64L; 64L; 16L; 16L |])
let b = torch.randn([| 64L; 64L; 16L; 16L |])
let one = Scalar.op_Implicit 1.0f

/// Runs `add` until `seconds` pass or it throws, while another thread forces GCs; (iterations, first error).
let underGcPressure (add: unit -> unit) =
    use stop = new ManualResetEventSlim(false)
    let gcThread = Thread((fun () -> while not stop.IsSet do GC.Collect 0), IsBackground = true)
    gcThread.Start()
    let sw = Diagnostics.Stopwatch.StartNew()
    let mutable n, error = 0, None
    while error.IsNone && sw.Elapsed.TotalSeconds < seconds do
        try
            use _ = torch.NewDisposeScope()
            add ()
            n <- n + 1
        with e -> error <- Some (e.Message.Split('\n').[0])
    stop.Set()
    gcThread.Join()
    n, error, sw.Elapsed.TotalSeconds

for name, add in [ "implicit Scalar (a + b)", (fun () -> (a + b) |> ignore)
                   "explicit Scalar kept alive (a.add(b, one))", (fun () -> a.add(b, one) |> ignore; GC.KeepAlive one) ] do
    let n, error, s = underGcPressure add
    match error with
    | Some msg -> printfn "%-45s FAILED after %d adds (%.1f s): %s" name n s msg
    | None -> printfn "%-45s ok: %d adds in %.1f s" name n s
