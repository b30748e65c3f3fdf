// What a checkpoint holds per method (issue 19, bounded disk use): for each trainable part its parameters
// (CRAM's centres among them), its buffers (BatchNorm running statistics, CRAM's calibrated temperature) and
// its optimiser state, and the checkpoint.zip sizes while a run trains (weights + optimiser, as every
// pre-split checkpoint) and once it has finished (weights only). ResNet-18 random teacher, one training step per phase on random images; the
// sizes do not depend on the image size (no module is sized by it), which the two sizes below show.
//   dotnet fsi experiments/diagnostics/checkpoint-sizes.fsx [64 128]
#load "../Prelude.fsx"
open System
open System.IO
open System.IO.Compression
open TorchSharp
open Workbench.Engine
open Workbench.Methods

let sizes = match fsi.CommandLineArgs |> Array.tail |> Array.map int with [||] -> [| 64; 128 |] | s -> s
let mb (bytes: int64) = float bytes / 1e6
let bytesOf (ts: seq<torch.Tensor>) = ts |> Seq.sumBy (fun t -> t.NumberOfElements * t.ElementSize)
let phases = function
    | "dskd" -> [ "students"; "fusion" ]
    | "dmdd" -> [ "student"; "segmentation" ]
    | _ -> [ "student" ]
/// "running_mean ×20, temperature ×3": the kinds of buffer a part carries.
let bufferKinds (m: torch.nn.Module) =
    m.named_buffers() |> Seq.countBy (fun struct (n, _) -> n.Split('.') |> Array.last)
    |> Seq.map (fun (k, c) -> sprintf "%s ×%d" k c) |> String.concat ", "

let teacherBytes () =
    use t = Workbench.Backbones.Teacher.Create("resnet18", "random", 0, torch.CPU, lastStage = 3)
    bytesOf (t.state_dict().Values)

let dir = Directory.CreateTempSubdirectory("wb-checkpoint-sizes-")
let state = TrainingState(0, 1, Collections.Generic.List<EpochRecord>())
printfn "| method | px | part | parameters (MB) | buffers (MB) | buffer kinds | optimiser state (MB) | checkpoint while training (MB) | finished, weights only (MB) | teacher, rebuilt, not stored (MB) |"
printfn "|---|---|---|---|---|---|---|---|---|---|"
try
    for size in sizes do
        for name in MethodFactory.Names do
            let cfg = MethodOptions.Apply(MethodFactory.DefaultConfig name, [ "Teacher=resnet18"; "TeacherWeights=random" ])
            use m = MethodFactory.Create(cfg, torch.CPU, 0)
            torch.manual_seed 1L |> ignore
            use x = torch.randn(2L, 3L, int64 size, int64 size)
            phases name |> List.iteri (fun i ph -> m.TrainStep(x, StepContext(ph, 0, i, 7)) |> ignore)
            let training, finished = Path.Combine(dir.FullName, "training.zip"), Path.Combine(dir.FullName, "finished.zip")
            Checkpoint.Save(training, m, state)
            Checkpoint.SaveWeightsOnly(finished, m, state)
            use zip = ZipFile.OpenRead training
            let teacher = teacherBytes ()
            for i, part in Seq.indexed m.TrainableParts do
                let optimiser = zip.GetEntry(sprintf "optimiser/%s.bin" part.Name).Length
                let totals =
                    if i = 0 then sprintf "%.1f | %.1f | %.1f" (mb (FileInfo(training).Length)) (mb (FileInfo(finished).Length)) (mb teacher)
                    else " | | "
                printfn "| %s | %d | %s | %.1f | %.2f | %s | %.1f | %s |" name size part.Name
                    (mb (bytesOf (part.Module.parameters() |> Seq.cast))) (mb (bytesOf (part.Module.buffers()))) (bufferKinds part.Module) (mb optimiser) totals
finally
    dir.Delete(true)
