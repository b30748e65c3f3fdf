// DSKD fusion-net form (issue 16 item 3): the paper's literal "1×1 conv, ReLU, sigmoid, six parameters"
// against the smallest form without the ReLU and the default hidden-16 net, on the SAME trained students.
// For each DSKD run folder (default: the bottle preset's 128 px runs, seeds 0-2), the students are loaded
// from its checkpoint, and a fresh fusion net of each form is trained exactly as the method's fusion phase
// does (Eq. 3 texture noise seeded per step, Dice, the run's FusionSteps; DskdMethod.FusionStepOn on six
// maps computed once per step and shared by the forms), then evaluated on the run's test split (image / pixel AUROC, AUPRO, RD4AD PRO). Also reported:
// the share of test pixels the fused map puts at its floor (Literal: 0.5 after ReLU → sigmoid).
//   dotnet fsi experiments/diagnostics/dskd-fusion-form.fsx [run folder ...] > results/ablation-dskd/fusion-form.md
#load "../Prelude.fsx"
open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open TorchSharp
open Workbench.Data
open Workbench.Engine
open Workbench.Imaging
open Workbench.Methods
open Workbench.Methods.Dskd

let repo = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "../.."))
let runDirs =
    match List.ofArray fsi.CommandLineArgs.[1..] with
    | [] -> [ for s in 0 .. 2 -> Path.Combine(repo, sprintf "runs/experiments/bottle/dskd-one-class-bottle-128px-e10-s%d" s) ]
    | dirs -> dirs
let json = JsonSerializerOptions(NumberHandling = Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)
let quiet = Trainer(LineProgressSink.Silent, TextWriter.Null)
let forms = [ DskdFusionForm.Hidden; DskdFusionForm.Literal; DskdFusionForm.Linear ]
let pct (v: float) = if Double.IsNaN v then "–" else sprintf "%.1f" (100. * v)

printfn "| run | fusion form | parameters | fusion steps | final Dice | image AUROC | pixel AUROC | AUPRO | RD4AD PRO | test pixels at the floor |"
printfn "|---|---|---|---|---|---|---|---|---|---|"
for dir in runDirs do
    if not (File.Exists(Path.Combine(dir, Checkpoint.FileName))) then failwithf "%s: no checkpoint (run ablation-dskd.fsx --preset bottle --sizes 128 first)" dir
    let run = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).["Config"].Deserialize<RunConfig>(json)
    use trained = CheckpointScorer.ForRun(dir, "cpu")
    let source = trained.Method :?> DskdMethod
    let store = ImageStore(ImageStore.DefaultCacheDir())
    let split = DataSetup.Load(run.Data, run.Seed)
    let train = BatchLoader(split.Train, run.Data.ImageSize, store, torch.CPU)
    let test = BatchLoader(split.Test, run.Data.ImageSize, store, torch.CPU)
    let stepsPerEpoch = Trainer.StepsPerEpoch(train.Count, run.BatchSize, 0)
    // one method per form, each with the run's students; the six maps of every step are computed once
    // (by the source run) and every form's fusion net steps on the very same maps and masks
    let models =
        [ for form in forms ->
            torch.manual_seed(int64 run.Seed) |> ignore
            let cfg = MethodOptions.Apply(source.Config, [ sprintf "FusionForm=%A" form ])
            let m = MethodFactory.Create(cfg, torch.CPU, run.Seed) :?> DskdMethod
            m.ForwardStudent.load_state_dict(source.ForwardStudent.state_dict()) |> ignore
            m.ReverseStudent.load_state_dict(source.ReverseStudent.state_dict()) |> ignore
            form, m ]
    let phase = source.Phases |> Seq.find (fun p -> p.Name = DskdMethod.FusionPhase)
    let epochs = phase.EpochsFor stepsPerEpoch
    let dice = Collections.Generic.Dictionary<DskdFusionForm, float>()
    for epoch in 0 .. epochs - 1 do
        // the trainer's rules: shuffle seeded per (run seed, phase, epoch), synthesis per step
        let mutable step = 0
        for batch in train.Batches(run.BatchSize, true, Trainer.EpochSeed(run.Seed, phase.Name, epoch)) do
            use b = batch
            use _ = torch.NewDisposeScope()
            use synth = source.Synthesise(b.Images, Trainer.StepSeed(run.Seed, phase.Name, epoch, step))
            let maps = source.SixMaps(ImageTensors.NormalizeImageNet synth.Images)
            for form, m in models do dice.[form] <- m.FusionStepOn(maps, synth.Masks)
            step <- step + 1
    for form, m in models do
        // RD4AD's PRO needs a non-constant map per image (its threshold grid spans min..max); the literal
        // form can output a constant 0.5 map, on which RD4AD's code fails too: then that column says so
        let metrics, proNote =
            try
                let struct (metrics, _) = quiet.EvaluateOn(m, test, split, run.BatchSize, true)
                metrics, None
            with :? ArgumentException as e when e.Message.Contains "constant" ->
                let struct (metrics, _) = quiet.EvaluateOn(m, test, split, run.BatchSize, false)
                metrics, Some "undefined (a constant map)"
        // share of test pixels at the fused map's minimum (before the Gaussian), i.e. the form's floor
        let floorShare =
            use _ = torch.NewDisposeScope()
            use _ = torch.no_grad()
            let fused = [ for batch in test.Batches(run.BatchSize, false, 0) -> (use b = batch in m.Fusion.forward(m.SixMaps b.Images)) ] |> Array.ofList
            let all = torch.cat(fused, 0L)
            let floor = all.min().item<float32>()
            float (all.le(Scalar.op_Implicit(floor + 1e-6f)).to_type(torch.ScalarType.Float32).mean().item<float32>())
        let r = metrics.Mean
        printfn "| %s | %A | %d | %d | %.3f | %s | %s | %s | %s | %.1f%% |" (Path.GetFileName dir) form
            (m.Fusion.parameters() |> Seq.sumBy (fun p -> p.numel())) (epochs * stepsPerEpoch) dice.[form]
            (pct r.ImageAuroc) (pct r.PixelAuroc) (pct r.Aupro) (defaultArg proNote (pct (defaultArg (Option.ofNullable r.Rd4adPro) nan))) (100. * floorShare)
        m.Dispose()
printfn ""
printfn "Students from each run's checkpoint (trained once); each fusion form trained from the same seed with the run's other options (textures: the run's TextureFolder)."
