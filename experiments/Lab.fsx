// What every experiment script shares: presets and command-line arguments, run-or-reuse of
// training runs, and writing tables, figures and the experiment manifest under
// results/<experiment>/<preset>/. Scripts #load this and read top to bottom like a lab notebook.
#load "Prelude.fsx"
#r "../core/bin/Debug/net10.0/Deedle.dll"
#r "../core/bin/Debug/net10.0/Newtonsoft.Json.dll"
#r "../core/bin/Debug/net10.0/DynamicObj.dll"
#r "../core/bin/Debug/net10.0/Giraffe.ViewEngine.dll"
#r "../core/bin/Debug/net10.0/Plotly.NET.dll"

open System
open System.IO
open System.Diagnostics
open Deedle
open Plotly.NET
open Workbench.Engine
open Workbench.Methods
open Workbench.Reporting

/// How a table names a real category: its name, plus "(N px copy)" when the folder's PROVENANCE.txt says
/// it was downsampled (../shared's transistor is a 256 px copy; its PROVENANCE.txt asks tables to say so).
module CategoryLabel =
    let Of (root: string) (category: string) =
        let provenance = Path.Combine(root, category, "PROVENANCE.txt")
        let m =
            if File.Exists provenance then Text.RegularExpressions.Regex.Match(File.ReadAllText provenance, @"DOWNSAMPLED to (\d+) x \d+")
            else Text.RegularExpressions.Match.Empty
        if m.Success then sprintf "%s (%s px copy)" category m.Groups.[1].Value else category

/// Where an experiment's runs are trained: here, one after another (local), or as one Slurm job array over a
/// plan folder (Plans/RunPlan, Plans/SlurmArray); collecting waits for that array and then reads its run folders.
type Executor =
    | Local
    | Slurm of Plan: string * Options: Workbench.Engine.Plans.SlurmOptions * Collect: bool

/// A preset: which data, teacher, size, epochs and seeds an experiment runs with.
type Preset =
    { Name: string                // quick | bottle | mvtec2 | paper
      Smoke: bool                 // one tiny epoch per phase, one seed; output under runs/smoke
      Format: string              // synthetic | mvtec | mpdd | visa
      DataRoot: string
      Categories: string list     // empty = every category under DataRoot
      ImageSize: int
      Epochs: int                 // main phase; DSKD fusion / DMDD segmentation keep their own defaults
      Seeds: int list
      Teacher: string
      TeacherWeights: string      // a weights file, or "random" (labelled everywhere)
      BatchSize: int
      MaxStepsPerEpoch: int       // 0 = full epochs
      Device: string
      Methods: string list option // --methods overrides an experiment's list
      Rd4adPro: bool              // also RD4AD's per-image PRO next to AUPRO (RunConfig.Rd4adPro): RD4AD's and DSKD's published PRO use it
      RunsRoot: string            // run folders (checkpoints; not committed), shared by experiments
      OutDir: string              // results/<experiment>/<preset>
      Commit: string              // the commit tables are built from ("-dirty": uncommitted changes, only with --allow-dirty or --smoke)
      AllowDirty: bool
      Executor: Executor }        // --executor local|slurm, --collect; never changes a number, only where runs train

    member p.TeacherPretrained = not (p.TeacherWeights.Equals("random", StringComparison.OrdinalIgnoreCase))
    /// How every table and figure names the teacher, so a random one can never pass for ImageNet.
    member p.TeacherLabel =
        if p.TeacherPretrained then sprintf "%s, ImageNet weights (%s)" p.Teacher (Path.GetFileName p.TeacherWeights)
        else sprintf "%s, RANDOM weights (not pretrained)" p.Teacher
    /// Says what the numbers are: a synthetic run is never a reproduction.
    /// Names the data by dataset and category, never by a path of this machine (tables go into papers).
    member p.DataLabel =
        match p.Format with
        | "synthetic" -> "built-in synthetic benchmark (not a paper reproduction)"
        | f ->
            let dataset = match f with "mvtec" -> "MVTec AD" | "visa" -> "VisA" | "mpdd" -> "MPDD" | other -> other
            if p.Categories.IsEmpty then sprintf "%s (every category under the data root)" dataset
            else sprintf "%s %s" dataset (p.Categories |> List.map (CategoryLabel.Of p.DataRoot) |> String.concat " + ")

module Lab =
    let private started = Stopwatch.StartNew()
    let private runs = Collections.Generic.List<ExperimentRun>()
    let private outputs = Collections.Generic.List<string>()
    let private notes = Collections.Generic.List<string>()
    let repoRoot = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, ".."))
    let sharedRoot = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared"))
    let sharedWeights = Path.Combine(sharedRoot, "weights", "resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors")
    let sharedMvtec = Path.Combine(sharedRoot, "data", "mvtec_ad")
    /// DTD textures, the anomaly source DSKD (Eq. 3) and DMDD draw from; procedural textures when absent.
    let sharedDtd = Path.Combine(sharedRoot, "data", "dtd", "images")

    let usage experiment =
        sprintf "usage: dotnet fsi experiments/%s.fsx [--preset quick|bottle|mvtec2|paper] [--smoke] [--seeds 0,1,2] [--epochs N] [--size N] \
[--methods a,b] [--data-root DIR] [--teacher NAME] [--teacher-weights FILE|random] [--device auto|cpu|cuda] [--out DIR] [--runs DIR] [--allow-dirty] \
[--executor local|slurm] [--collect] [--plan DIR] [--partition P] [--gpus-per-task N] [--cpus-per-task N] [--time T] [--throttle N]" experiment

    /// The integer value of an option, or an error naming the option and the bad value.
    let intOf (option: string) (s: string) =
        match Int32.TryParse s with
        | true, v -> v
        | _ -> failwithf "option %s: '%s' is not an integer" option s

    /// A comma-separated integer list ("0,1,2") of an option.
    let intsOf (option: string) (s: string) =
        s.Split(',', StringSplitOptions.RemoveEmptyEntries) |> Array.map (intOf option) |> List.ofArray

    /// Takes a script's own option "--name VALUE" out of the arguments before `preset` (which
    /// rejects options it does not know) sees them: (value if given, remaining arguments).
    let scriptOption (name: string) (argv: string[]) : string option * string[] =
        match Array.tryFindIndex ((=) name) argv with
        | None -> None, argv
        | Some i when i + 1 >= argv.Length || argv.[i + 1].StartsWith "--" -> failwithf "option %s needs a value" name
        | Some i -> Some argv.[i + 1], Array.append argv.[.. i - 1] argv.[i + 2 ..]

    /// Parses the script's arguments into a preset. Unknown options and missing data/weights fail
    /// here, naming the option or file, before any training starts.
    let preset (experiment: string) (argv: string[]) : Preset =
        let rec pairs acc = function
            | "--smoke" :: rest -> pairs (("--smoke", "true") :: acc) rest
            | "--allow-dirty" :: rest -> pairs (("--allow-dirty", "true") :: acc) rest
            | "--collect" :: rest -> pairs (("--collect", "true") :: acc) rest
            | k :: v :: rest when k.StartsWith "--" -> pairs ((k, v) :: acc) rest
            | [ k ] -> failwithf "option %s needs a value\n%s" k (usage experiment)
            | [] -> Map.ofList acc
            | x :: _ -> failwithf "unexpected argument '%s'\n%s" x (usage experiment)
        let args = pairs [] (List.ofArray argv)
        let known = set [ "--preset"; "--smoke"; "--seeds"; "--epochs"; "--size"; "--methods"; "--data-root"; "--teacher"; "--teacher-weights"; "--device"; "--out"; "--runs"; "--allow-dirty";
                          "--executor"; "--collect"; "--plan"; "--partition"; "--gpus-per-task"; "--cpus-per-task"; "--time"; "--throttle" ]
        for k in args.Keys do
            if not (known.Contains k) then failwithf "unknown option %s\n%s" k (usage experiment)
        let get k = Map.tryFind k args
        let name = defaultArg (get "--preset") "quick"
        let smoke = args.ContainsKey "--smoke"
        let weightsOr fallback =
            match get "--teacher-weights" with
            | Some "auto" | None -> fallback ()
            | Some w -> w
        let autoWeights () = if File.Exists sharedWeights then sharedWeights else "random"
        let requireWeights () =
            if File.Exists sharedWeights then sharedWeights
            else failwithf "preset %s needs the ImageNet ResNet-18 weights: %s not found (give --teacher-weights FILE)" name sharedWeights
        let basePreset =
            match name with
            | "quick" ->
                { Name = "quick"; Smoke = smoke; Format = "synthetic"; DataRoot = Path.Combine(repoRoot, "runs", "data", "synthetic-64")
                  Categories = []; ImageSize = 64; Epochs = 8; Seeds = [ 0; 1; 2 ]; Teacher = "resnet18"
                  TeacherWeights = weightsOr autoWeights; BatchSize = 16; MaxStepsPerEpoch = 0; Device = "auto"; Methods = None
                  Rd4adPro = true; RunsRoot = ""; OutDir = ""; Commit = ""; AllowDirty = false; Executor = Local }
            | "bottle" ->
                { Name = "bottle"; Smoke = smoke; Format = "mvtec"; DataRoot = sharedMvtec; Categories = [ "bottle" ]; ImageSize = 128
                  Epochs = 10; Seeds = [ 0; 1; 2 ]; Teacher = "resnet18"; TeacherWeights = weightsOr requireWeights; BatchSize = 16
                  MaxStepsPerEpoch = 0; Device = "auto"; Methods = None; Rd4adPro = true; RunsRoot = ""; OutDir = ""; Commit = ""; AllowDirty = false; Executor = Local }
            // issue 20: the two real MVTec AD categories in ../shared, so multi-class is tested on real images
            | "mvtec2" ->
                for c in [ "bottle"; "transistor" ] do
                    if not (Directory.Exists(Path.Combine(sharedMvtec, c))) && (get "--data-root").IsNone then
                        failwithf "preset mvtec2 needs MVTec AD %s: %s not found (it lives in ../shared/data/mvtec_ad; give --data-root DIR)" c (Path.Combine(sharedMvtec, c))
                { Name = "mvtec2"; Smoke = smoke; Format = "mvtec"; DataRoot = sharedMvtec; Categories = [ "bottle"; "transistor" ]; ImageSize = 128
                  Epochs = 10; Seeds = [ 0; 1; 2 ]; Teacher = "resnet18"; TeacherWeights = weightsOr requireWeights; BatchSize = 16
                  MaxStepsPerEpoch = 0; Device = "auto"; Methods = None; Rd4adPro = true; RunsRoot = ""; OutDir = ""; Commit = ""; AllowDirty = false; Executor = Local }
            | "paper" ->
                let root = match get "--data-root" with Some r -> r | None -> failwith "preset paper needs --data-root (the MVTec AD / VisA / MPDD root)"
                let w = match get "--teacher-weights" with Some w -> w | None -> failwith "preset paper needs --teacher-weights (torchvision wide_resnet50_2-95faca4d.pth)"
                { Name = "paper"; Smoke = smoke; Format = "mvtec"; DataRoot = root; Categories = []; ImageSize = 256; Epochs = 200
                  Seeds = [ 0 ]; Teacher = "wide_resnet50_2"; TeacherWeights = w; BatchSize = 16; MaxStepsPerEpoch = 0; Device = "auto"
                  Methods = None; Rd4adPro = true; RunsRoot = ""; OutDir = ""; Commit = ""; AllowDirty = false; Executor = Local }
            | other -> failwithf "unknown preset '%s' (quick | bottle | mvtec2 | paper)" other
        let p =
            { basePreset with
                Seeds = get "--seeds" |> Option.map (intsOf "--seeds") |> Option.defaultValue basePreset.Seeds
                Epochs = get "--epochs" |> Option.map (intOf "--epochs") |> Option.defaultValue basePreset.Epochs
                ImageSize = get "--size" |> Option.map (intOf "--size") |> Option.defaultValue basePreset.ImageSize
                DataRoot = get "--data-root" |> Option.defaultValue basePreset.DataRoot
                Teacher = get "--teacher" |> Option.defaultValue basePreset.Teacher
                Device = get "--device" |> Option.defaultValue basePreset.Device
                Methods = get "--methods" |> Option.map (fun s -> s.Split(',', StringSplitOptions.RemoveEmptyEntries) |> List.ofArray) }
        let p =
            // one seed unless --seeds names them (a smoke plan with two seeds tests seed handling cheaply)
            let seeds = if args.ContainsKey "--seeds" then p.Seeds else [ List.head p.Seeds ]
            if smoke then { p with Epochs = 1; Seeds = seeds; MaxStepsPerEpoch = 2; BatchSize = min p.BatchSize 4 } else p
        let defaultOut = if smoke then Path.Combine(repoRoot, "runs", "smoke", experiment, p.Name) else Path.Combine(repoRoot, "results", experiment, p.Name)
        let p =
            { p with
                OutDir = get "--out" |> Option.defaultValue defaultOut
                RunsRoot = get "--runs" |> Option.defaultValue (Path.Combine(repoRoot, "runs", (if smoke then "smoke-runs" else "experiments"), p.Name)) }
        // Committed tables must name a commit that reproduces them: a modified tree is refused, unless asked
        // for (then every caption says so); smoke outputs are never committed.
        let commit = Workbench.Engine.RunManifest.ReadGitCommit repoRoot
        let allowDirty = args.ContainsKey "--allow-dirty"
        if commit.EndsWith "-dirty" && not smoke && not allowDirty then
            failwithf "the work tree %s has uncommitted changes (git status): tables must name a commit that reproduces them. Commit first, or pass --allow-dirty (every caption then says the tables come from a modified tree)" repoRoot
        let slurmOptions = [ "--plan"; "--partition"; "--gpus-per-task"; "--cpus-per-task"; "--time"; "--throttle" ]
        let executor =
            match get "--executor", args.ContainsKey "--collect" with
            | (None | Some "local"), false ->
                for o in slurmOptions do
                    if args.ContainsKey o then failwithf "option %s needs --executor slurm (it configures the Slurm array)" o
                Local
            | (None | Some "slurm"), collect ->
                let options =
                    Workbench.Engine.Plans.SlurmOptions(
                        Partition = Option.toObj (get "--partition"), Time = Option.toObj (get "--time"),
                        GpusPerTask = (get "--gpus-per-task" |> Option.map (intOf "--gpus-per-task") |> Option.defaultValue 0),
                        CpusPerTask = (get "--cpus-per-task" |> Option.map (intOf "--cpus-per-task") |> Option.defaultValue 1),
                        Throttle = (get "--throttle" |> Option.map (intOf "--throttle") |> Option.defaultValue 0))
                // the plan lives with the run folders: both must be on storage every node sees
                Slurm(get "--plan" |> Option.defaultValue (Path.Combine(p.RunsRoot, "plans", experiment)) |> Path.GetFullPath, options, collect)
            | Some "local", true -> failwith "--collect reads a Slurm plan: it cannot be combined with --executor local"
            | Some other, _ -> failwithf "option --executor: '%s' is not an executor (local | slurm)" other
        let p = { p with Commit = commit; AllowDirty = allowDirty; Executor = executor }
        if p.Format <> "synthetic" && not (Directory.Exists p.DataRoot) then
            failwithf "preset %s: data root %s not found (give --data-root DIR)" p.Name p.DataRoot
        if p.TeacherPretrained && not (File.Exists p.TeacherWeights) then
            failwithf "preset %s: teacher weights %s not found (--teacher-weights FILE|random)" p.Name p.TeacherWeights
        Directory.CreateDirectory p.OutDir |> ignore
        printfn "== %s, preset %s%s: %s; teacher %s; %d px, %d epochs, seeds %A → %s%s"
            experiment p.Name (if smoke then " (SMOKE)" else "") p.DataLabel p.TeacherLabel p.ImageSize p.Epochs p.Seeds p.OutDir
            (match p.Executor with
             | Local -> ""
             | Slurm(plan, _, collect) -> sprintf "; %s Slurm plan %s" (if collect then "collecting" else "executor") plan)
        p

    /// The methods an experiment covers, unless --methods narrowed them.
    let methods (p: Preset) (defaults: string list) =
        match p.Methods with
        | Some ms ->
            for m in ms do
                if not (Seq.contains m MethodFactory.Names) then failwithf "--methods: unknown method '%s' (known: %s)" m (String.Join(", ", MethodFactory.Names))
            ms |> List.filter (fun m -> List.contains m defaults)
        | None -> defaults

    /// A line for the manifest's notes (and the console): what a reader must know about the numbers;
    /// the same line is kept once.
    let note (text: string) =
        if not (notes.Contains text) then
            printfn "note: %s" text
            notes.Add text

    /// A method config for the preset: its teacher and epochs, then Key=value options (MethodOptions).
    let methodConfig (p: Preset) (methodName: string) (options: string list) : MethodConfig =
        let cfg = MethodFactory.DefaultConfig(methodName)
        let basic = [ sprintf "Teacher=%s" p.Teacher; sprintf "TeacherWeights=%s" p.TeacherWeights; sprintf "Epochs=%d" p.Epochs ]
        // smoke: the secondary phases (DSKD fusion, DMDD segmentation) also get a single epoch
        let names = MethodOptions.List(cfg).Keys |> Set.ofSeq
        let smokePhases =
            if not p.Smoke then []
            else [ "FusionSteps"; "SegmentationEpochs" ] |> List.filter names.Contains |> List.map (fun k -> k + "=1")
        // synthetic anomalies from DTD as the papers do, when the folder is there; otherwise procedural (labelled)
        let textures =
            if not (names.Contains "TextureFolder") then []
            elif Directory.Exists sharedDtd then
                note (sprintf "%s: synthetic anomalies use DTD textures (%s)" methodName (Path.GetFileName(Path.GetDirectoryName sharedDtd)))
                [ "TextureFolder=" + sharedDtd ]
            else
                note (sprintf "%s: no DTD folder at ../shared/data/dtd/images, synthetic anomalies use the workbench's PROCEDURAL textures" methodName)
                []
        MethodOptions.Apply(cfg, basic @ smokePhases @ textures @ options)

    let data (p: Preset) (categories: string list) (protocol: string) =
        DataConfig(p.Format, p.DataRoot, Array.ofList categories, protocol, p.ImageSize)

    /// The preset's categories, or every category found under its data root; a smoke run keeps two.
    let categories (p: Preset) =
        let all =
            if not p.Categories.IsEmpty then p.Categories
            else DataSetup.Load(data p [] "multi-class", List.head p.Seeds).Categories |> List.ofSeq
        if p.Smoke then List.truncate 2 all else all

    /// Multi-class data over the given categories (from <c>categories p</c>); named "all" when they
    /// are every category of the root, so experiments that pool everything share runs.
    let pooled (p: Preset) (cats: string list) =
        data p (if p.Categories.IsEmpty && not p.Smoke then [] else cats) "multi-class"

    let private slug (s: string) =
        s.ToLowerInvariant() |> String.map (fun c -> if Char.IsLetterOrDigit c then c else '-')

    let private trainer = lazy (Trainer(LineProgressSink(Console.Out), Console.Out))

    /// Runs a Slurm executor left to its array (not finished here): (label, config), in the script's order.
    let private planned = Collections.Generic.List<string * RunConfig>()

    /// Collecting: wait, once, until none of the plan's array tasks is queued or running.
    let mutable private waited = false
    let private waitForArray (plan: string) =
        if not waited then
            waited <- true
            let mutable live = Workbench.Engine.Plans.SlurmArray.Live plan
            let mutable last = ""
            while live.Count > 0 do
                let now = Workbench.Engine.Plans.SlurmArray.Describe live
                if now <> last then printfn "waiting for the Slurm array of %s: %s" plan now
                last <- now
                Threading.Thread.Sleep 3000
                live <- Workbench.Engine.Plans.SlurmArray.Live plan

    /// Trains one run, or reuses/resumes it when its folder already holds the same config.
    /// The folder name says what the run is; the label is what tables call it.
    let train (p: Preset) (label: string) (methodCfg: MethodConfig) (dataCfg: DataConfig) (seed: int) : string =
        let cats = if dataCfg.Categories.Count = 0 then "all" else String.Join("+", dataCfg.Categories)
        let dir = Path.Combine(p.RunsRoot, sprintf "%s-%s-%s-%dpx-e%d-s%d" (slug label) dataCfg.Protocol (slug cats) dataCfg.ImageSize methodCfg.Epochs seed)
        let config =
            RunConfig(Data = dataCfg, Method = methodCfg, Seed = seed, BatchSize = p.BatchSize, Device = p.Device, OutDir = dir,
                      MaxStepsPerEpoch = p.MaxStepsPerEpoch, Rd4adPro = p.Rd4adPro)
        printfn "-- %s | %s %s | seed %d" label dataCfg.Protocol cats seed
        let leftToArray =
            match p.Executor with
            | Slurm(plan, _, collect) when not (RunStore.IsFinished(dir, config)) ->
                // collecting: the array is waited for first, then the folder checked again
                if collect then waitForArray plan
                // a missing data root fails here, not in every task, and synthetic data is generated once, here
                else DataSetup.Load(dataCfg, seed) |> ignore
                not (collect && RunStore.IsFinished(dir, config))
            | _ -> false
        if leftToArray then
            planned.Add((label, config))
            printfn "   left to the Slurm array: %s" dir
        else
            let sw = Stopwatch.StartNew()
            let struct (runDir, outcome) = RunStore.Ensure(trainer.Value, config, Console.Out)
            runs.Add(ExperimentRun(label, Path.GetRelativePath(repoRoot, runDir), string outcome, sw.Elapsed.TotalSeconds,
                                   Training = RunProvenance.Read runDir))
        dir

    /// The standard protocol runs, seed-major (a cut-short experiment still has every method for
    /// the first seeds): each method once per category (one-class) and, with two or more categories,
    /// once on them pooled (multi-class), default options, label = method name. Experiments that
    /// use these (one-class vs multi-class, paper tables, SNL ablation baselines) share the runs.
    let protocolRuns (p: Preset) (methods: string list) (categories: string list) : (string * string * string) list =
        [ for s in p.Seeds do
            for m in methods do
                for c in categories -> "one-class", m, train p m (methodConfig p m []) (data p [ c ] "one-class") s
                if categories.Length >= 2 then
                    yield "multi-class", m, train p m (methodConfig p m []) (pooled p categories) s ]

    let private rel (path: string) = Path.GetRelativePath(repoRoot, Path.GetFullPath path)

    /// Collecting: the per-task overhead line is printed once, not at every requireTrained.
    let mutable private overheadShown = false

    /// The point from which a script reads its trained runs (runRows and variant call it; a script that scores
    /// checkpoints itself calls it first). Local: nothing to do. Slurm: every run is finished → go on, exactly as
    /// a local run would; otherwise submit the unfinished runs as one job array and stop (unless an array of this
    /// plan is still queued: then only say so), or, collecting, fail listing the runs whose tasks did not finish.
    let requireTrained (p: Preset) =
        match p.Executor with
        | Local -> ()
        | Slurm(planDir, _, collect) when planned.Count = 0 ->
            if collect && not overheadShown && File.Exists(Path.Combine(planDir, Workbench.Engine.Plans.RunPlan.FileName)) then
                overheadShown <- true
                match Workbench.Engine.Plans.SlurmReport.Overhead(Workbench.Engine.Plans.RunPlan.Read planDir) with
                | null -> ()
                | line -> printfn "Slurm array of %s: %s" planDir line
        | Slurm(planDir, options, collect) ->
            let unfinished = planned |> Seq.map (fun (_, c) -> Path.GetFullPath c.OutDir) |> Seq.distinct |> List.ofSeq
            if collect then
                if not (File.Exists(Path.Combine(planDir, Workbench.Engine.Plans.RunPlan.FileName))) then
                    failwithf "%d run(s) are not finished and nothing was submitted for plan %s: run the script with --executor slurm first" unfinished.Length planDir
                let plan = Workbench.Engine.Plans.RunPlan.Read planDir
                failwith (Workbench.Engine.Plans.SlurmReport.Unfinished(plan, unfinished, options.Throttle))
            let writePlan () =
                let plan = Workbench.Engine.Plans.RunPlan.Write(planDir, planned |> Seq.map (fun (l, c) -> struct (l, c)))
                let cli = Path.Combine(repoRoot, "experiments", "Workbench.Cli", "bin", "Debug", "net10.0", "workbench.dll")
                Workbench.Engine.Plans.SlurmArray.WriteScript(plan, options, Environment.ProcessPath, cli, Directory.GetCurrentDirectory()) |> ignore
                plan, plan.Runs |> Seq.map (fun r -> r.Index)
            // the queue is asked first, so a plan whose array still runs is never rewritten under it; when squeue
            // cannot answer (no controller, no client), a plan folder that is still empty is written anyway, so its
            // runs can be submitted later or trained by hand, and nothing is submitted
            let live =
                try Result.Ok(Workbench.Engine.Plans.SlurmArray.Live planDir)
                with :? IOException as e -> Result.Error e.Message
            match live with
            | Result.Error message when File.Exists(Path.Combine(planDir, Workbench.Engine.Plans.RunPlan.FileName)) ->
                failwithf "%s\nnothing submitted: without squeue it cannot be told whether an array of plan %s still runs, so that plan is left as it is (remove its folder, or pass another --plan, to write a new one)" message planDir
            | Result.Error message ->
                let plan, indices = writePlan ()
                failwithf "%s\nnothing submitted; the plan of %d run(s) is written to %s: submit it with `%s` once Slurm answers, or train a run by hand with `dotnet run --project experiments/Workbench.Cli -- train --config %s`"
                    message plan.Runs.Count planDir (Workbench.Engine.Plans.SlurmArray.SubmitCommand(plan, indices, options.Throttle)) (plan.ConfigFile(plan.Runs.[0].Index))
            | Result.Ok live when live.Count > 0 ->
                printfn "\nthe Slurm array of plan %s is still in the queue (%s); nothing submitted.\nCollect with the same command plus --collect (it waits for the array)."
                    planDir (Workbench.Engine.Plans.SlurmArray.Describe live)
            | Result.Ok _ ->
                let plan, indices = writePlan ()
                let job = Workbench.Engine.Plans.SlurmArray.Submit(plan, indices, options.Throttle)
                printfn "\nsubmitted %d run(s) as Slurm job array %s: %s\nplan: %s (runs/NNNN.json, array.sbatch; logs/<job>_<task>.log)\nCollect with the same command plus --collect (it waits for the array, then writes the tables)."
                    plan.Runs.Count job (Workbench.Engine.Plans.SlurmArray.SubmitCommand(plan, indices, options.Throttle)) planDir
            exit 0

    let private seedsText (p: Preset) = p.Seeds |> List.map string |> String.concat ", "
    let private shortCommit (p: Preset) =
        let sha = p.Commit.Replace("-dirty", "")
        (if sha.Length > 10 then sha.Substring(0, 10) else sha) + (if p.Commit.EndsWith "-dirty" then " with uncommitted changes" else "")

    /// What a caption must say about where its numbers come from: the seeds, the commit the table was built
    /// from, and any run trained from a modified tree (its numbers cannot be reproduced from a commit).
    let provenance (p: Preset) =
        let trainedDirty = runs |> Seq.filter (fun r -> r.Training <> null && r.Training.Dirty) |> Seq.length
        let dirtyRuns =
            if trainedDirty = 0 then ""
            else sprintf "; %d of %d runs were TRAINED FROM A MODIFIED TREE (see runs.csv GitCommit)" trainedDirty runs.Count
        let dirtyTables = if p.Commit.EndsWith "-dirty" then " (NOT reproducible from the commit)" else ""
        sprintf "seeds %s; commit %s%s%s" (seedsText p) (shortCommit p) dirtyTables dirtyRuns

    /// Writes a Deedle frame as <name>.md/.tex/.csv in the experiment folder.
    let table (p: Preset) (name: string) (caption: string) (frame: Deedle.Frame<'R, string>) =
        let caption = sprintf "%s Preset %s; %s; teacher %s; %s." caption p.Name p.DataLabel p.TeacherLabel (provenance p)
        for f in TableFile.Write(frame, Path.Combine(p.OutDir, name), caption) do outputs.Add(rel f)
        let struct (header, rows) = TableFile.Cells(frame)
        printfn "\n%s" (TableFile.Markdown(header, rows, caption))

    /// Where figures' shared plotly-<version>.min.js lives: results/ for every experiment folder under it
    /// (one committed copy, not one per folder: most hold a single figure), else the output folder itself.
    let scriptFolder (p: Preset) =
        let results = Path.Combine(repoRoot, "results")
        let rel = Path.GetRelativePath(results, Path.GetFullPath p.OutDir)
        if rel.StartsWith ".." || Path.IsPathRooted rel then p.OutDir else results

    /// Writes a Plotly.NET chart as <name>.html (loading the shared plotly.js by relative path, so it opens
    /// offline) and <name>.png (headless Chromium), titled, with a second title line naming the preset,
    /// data, image size(s) and teacher.
    let figureAt (p: Preset) (sizeLabel: string) (name: string) (title: string) (chart: Plotly.NET.GenericChart) (width: int) (height: int) =
        let subtitle = sprintf "preset %s%s · %s · %s · teacher %s · %s" p.Name (if p.Smoke then " (smoke)" else "") p.DataLabel sizeLabel p.TeacherLabel (provenance p)
        let titled =
            chart
            |> Chart.withTitle (Title.init (Text = sprintf "%s<br><sup>%s</sup>" title subtitle))
            |> Chart.withConfig (Config.init (DisplayModeBar = false))
        let out = FigureFile.Write(titled, Path.Combine(p.OutDir, name), width, height, scriptFolder p)
        outputs.Add(rel out.Html)
        if not (outputs.Contains(rel out.Script)) then outputs.Add(rel out.Script)
        match out.Png with
        | null -> note (sprintf "%s: %s" name out.PngSkipped)
        | png -> outputs.Add(rel png); printfn "figure → %s, %s" out.Html png

    /// Bars of seed means (percent) with std error bars clipped to [0, 100]; none when a bar has one seed
    /// (a zero-width bar labelled "std" would claim a spread that was never measured).
    let seedBars (name: string) (keys: string list) (stats: SeedStat option list) (colour: string) (showLegend: bool) =
        let means = stats |> List.map (function Some s -> 100. * s.Mean | None -> nan)
        let stds = stats |> List.map (function Some s when s.Seeds > 1 && not (Double.IsNaN s.Std) -> 100. * s.Std | _ -> 0.)
        let bars = Chart.Column(values = means, Keys = keys, Name = name, ShowLegend = showLegend, MarkerColor = Color.fromString colour)
        if stds |> List.forall ((=) 0.) then bars
        else
            let up = List.map2 (fun m e -> if Double.IsNaN m then 0. else min e (100. - m)) means stds
            let down = List.map2 (fun m e -> if Double.IsNaN m then 0. else min e m) means stds
            bars |> Chart.withYErrorStyle (Symmetric = false, Array = up, Arrayminus = down)

    /// A percent axis around the bars (mean ± std), not from 0: the differences the READMEs discuss are
    /// 1–3 points and a 0-based axis flattens them. Never past 100; at least 5 points tall.
    let percentRange (stats: SeedStat option seq) =
        let ends =
            stats |> Seq.choose id |> Seq.filter (fun s -> not (Double.IsNaN s.Mean))
            |> Seq.collect (fun s -> let e = if s.Seeds > 1 && not (Double.IsNaN s.Std) then s.Std else 0. in [ 100. * (s.Mean - e); 100. * (s.Mean + e) ])
            |> List.ofSeq
        if ends.IsEmpty then (0., 100.)
        else
            let hi = min 100. (ceil (List.max ends + 1.))
            let lo = max 0. (floor (List.min ends - 2.))
            if hi - lo < 5. then (max 0. (hi - 5.), hi) else (lo, hi)

    /// How a figure title names its error bars: the seeds, or that there are none.
    let errorBarsText (p: Preset) =
        if p.Seeds.Length > 1 then sprintf "error bars = std over seeds %s (clipped to 0–100)" (seedsText p)
        else sprintf "seed %d only: no error bars" p.Seeds.Head

    /// <c>figureAt</c> at the preset's image size.
    let figure (p: Preset) (name: string) (title: string) (chart: Plotly.NET.GenericChart) (width: int) (height: int) =
        figureAt p (sprintf "%d px" p.ImageSize) name title chart width height

    /// Every run's rows (per category and mean), the raw material of all tables, as runs.csv.
    /// Run folders are named relative to the repository, like the manifest's runs (committed tables
    /// then do not carry this machine's absolute paths).
    let runRows (p: Preset) (labelled: (string * string) list) =
        requireTrained p
        let rows = labelled |> List.collect (fun (l, d) -> RunTable.Read(l, d) |> Seq.map (fun r -> r.WithRunDir(rel r.RunDir)) |> List.ofSeq)
        Frame.FromRecords(rows).SaveCsv(Path.Combine(p.OutDir, "runs.csv"))
        outputs.Add(rel (Path.Combine(p.OutDir, "runs.csv")))
        rows

    /// Mean ± std over seeds per (label, protocol, category) and for the category mean. A one-class
    /// run covers one category, so its own "mean" row is dropped and the MVTec-style mean over
    /// categories is formed per seed first.
    let summarise (rows: RunRow list) (metrics: string list) : SeedStat list =
        let perCategory = rows |> List.filter (fun r -> r.Category <> "mean" || r.Protocol <> "one-class")
        let oneClassMeans = perCategory |> List.filter (fun r -> r.Protocol = "one-class") |> RunTable.MeanOverCategories |> List.ofSeq
        SeedSummary.Of(perCategory @ oneClassMeans, metrics) |> List.ofSeq

    /// The metrics experiment tables show. RD4AD PRO stands next to AUPRO because RD4AD's and DSKD's published
    /// PRO use RD4AD's definition, not MVTec AUPRO; it reads "–" for runs from before it was recorded. Figures
    /// keep their headline metrics: they compare our methods with each other, not with papers.
    let tableMetrics = [ "ImageAuroc"; "PixelAuroc"; "Aupro"; "Rd4adPro" ]

    let metricName = function
        | "ImageAuroc" -> "image AUROC" | "PixelAuroc" -> "pixel AUROC" | "Aupro" -> "AUPRO" | "Rd4adPro" -> "RD4AD PRO"
        | "ImageAp" -> "image AP" | "PixelAp" -> "pixel AP" | "ImageF1Max" -> "image F1-max" | "PixelF1Max" -> "pixel F1-max"
        | m -> m

    /// One comparison a README may cite, by id: candidate vs baseline on one metric over seeds, with the verdict
    /// of core's SeedComparison rule. READMEs reference rows as "[claim <experiment>/<preset>#<id>: <verdict>]",
    /// and tests/Reporting/ReadmeClaimsTests checks every such reference against the committed claims.csv.
    type Claim =
        { Id: string; Candidate: string; Baseline: string; Metric: string
          ``Candidate (%)``: string; ``Baseline (%)``: string; ``Δ (points)``: string; Verdict: string }

    /// A metric's short name in claim ids.
    let metricId = function
        | "ImageAuroc" -> "image" | "PixelAuroc" -> "pixel" | "Aupro" -> "aupro" | "Rd4adPro" -> "pro" | m -> m.ToLowerInvariant()

    /// A label as a claim id part: lower case, letters and digits, words joined by '-'.
    let idPart (s: string) =
        let cleaned = s.ToLowerInvariant() |> String.map (fun c -> if Char.IsLetterOrDigit c then c else ' ')
        String.Join("-", cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries))

    /// The verdict words the READMEs cite (lower case, stable).
    let verdictText (d: SeedDifference) =
        match d with
        | SeedDifference.Better -> "better" | SeedDifference.Worse -> "worse"
        | SeedDifference.SingleSeed -> "single seed" | _ -> "no clear difference"

    /// A claim row from two seed summaries (None when either is missing or NaN: no row).
    let claim (id: string) (candidate: string) (baseline: string) (metric: string) (c: SeedStat option) (b: SeedStat option) =
        match c, b with
        | Some c, Some b when not (Double.IsNaN c.Mean || Double.IsNaN b.Mean) ->
            Some { Id = id; Candidate = candidate; Baseline = baseline; Metric = metric
                   ``Candidate (%)`` = c.Display; ``Baseline (%)`` = b.Display
                   ``Δ (points)`` = sprintf "%+.1f" (100. * (c.Mean - b.Mean)); Verdict = verdictText (SeedComparison.Compare(b, c)) }
        | _ -> None

    /// Writes claims.md/.tex/.csv: every comparison the experiment's README may state, with its verdict.
    let claims (p: Preset) (what: string) (rows: Claim option list) =
        let rows = List.choose id rows
        if not rows.IsEmpty then
            table p "claims" (sprintf "Claims: %s. Verdict: %s (better / worse), otherwise no clear difference; one seed gives no verdict." what (SeedComparison.Rule()))
                (Frame.ofRecords rows)

    /// A path as committed files name it: relative to the repository (never this machine's absolute path).
    let portable (path: string) = if Path.IsPathRooted path then rel path else path

    /// Writes manifest.json: preset, commit, seeds, device, wall time, runs and outputs.
    let finish (p: Preset) (experiment: string) (settings: (string * string) list) =
        let m =
            ExperimentManifest(
                Experiment = experiment, Preset = p.Name + (if p.Smoke then " (smoke)" else ""),
                Command = sprintf "dotnet fsi experiments/%s.fsx %s" experiment (String.Join(" ", fsi.CommandLineArgs |> Array.skip 1 |> Array.map portable)),
                Settings = readOnlyDict ([ "format", p.Format; "dataRoot", portable p.DataRoot; "imageSize", string p.ImageSize; "epochs", string p.Epochs;
                                   "batchSize", string p.BatchSize; "maxStepsPerEpoch", string p.MaxStepsPerEpoch; "rd4adPro", string p.Rd4adPro; "runsRoot", rel p.RunsRoot ] @ settings),
                Seeds = (p.Seeds |> Array.ofList), Teacher = p.TeacherLabel, TeacherPretrained = p.TeacherPretrained,
                Device = string (Workbench.Runtime.DeviceChoice.Resolve p.Device), WallSeconds = started.Elapsed.TotalSeconds,
                Runs = runs.ToArray(), Outputs = outputs.ToArray(), Notes = notes.ToArray())
        m.Write(Path.Combine(p.OutDir, "manifest.json"))
        printfn "\n%s/%s done in %.0f s; results in %s" experiment p.Name started.Elapsed.TotalSeconds p.OutDir

    /// Registers a file the script wrote itself (CSV of per-image scores, a gallery PNG) in the manifest.
    let output (path: string) =
        outputs.Add(rel path)
        printfn "wrote %s" path

    /// Cross-class interference (SNL Fig. 2b/c): the multi-class training data both interference
    /// experiments share (so RunStore trains each model once) and the categories their test sets mix.
    type Interference =
        { Data: DataConfig                 // what the models are trained on (multi-class)
          Mixup: string * string           // the two categories mixed (Fig. 2b: hazelnut + screw)
          CutPaste: (string * string) list // (patch donor, target) directions (Fig. 2c: cable onto wood)
          Description: string }

    /// quick: synthetic pill + hexnut, the two synthetic objects least alike (capsule on a dark
    /// background vs hex nut on a light one), like hazelnut vs screw; both cut-paste directions.
    /// bottle: MVTec bottle + synthetic hexnut generated at the preset size, joined in a root of
    /// symlinks under runs/data (nothing copied). paper: the paper's multi-class models (every
    /// category pooled, shared with one-class-vs-multi-class), mixup hazelnut + screw, cable onto wood.
    let interference (p: Preset) : Interference =
        match p.Name with
        | "quick" ->
            { Data = data p [ "pill"; "hexnut" ] "multi-class"; Mixup = ("pill", "hexnut")
              CutPaste = [ ("hexnut", "pill"); ("pill", "hexnut") ]
              Description = "synthetic pill + hexnut, trained multi-class on the two" }
        | "bottle" ->
            let synthetic = "hexnut"
            let synthRoot = Path.Combine(repoRoot, "runs", "data", sprintf "synthetic-%d-%s" p.ImageSize synthetic)
            match Workbench.Data.Synthetic.SyntheticBenchmark.EnsureAt(
                    synthRoot, Workbench.Data.Synthetic.SyntheticOptions(Size = p.ImageSize, Seed = 0, Categories = [| synthetic |])) with
            | null -> ()
            | regenerated -> eprintfn "warning: %s" regenerated
            let root = Path.Combine(repoRoot, "runs", "data", sprintf "bottle+%s-%d" synthetic p.ImageSize)
            Workbench.Data.CombinedRoot.Link(root, readOnlyDict [ "bottle", Path.Combine(p.DataRoot, "bottle"); synthetic, Path.Combine(synthRoot, synthetic) ]) |> ignore
            { Data = DataConfig("mvtec", root, [| "bottle"; synthetic |], "multi-class", p.ImageSize); Mixup = ("bottle", synthetic)
              CutPaste = [ (synthetic, "bottle"); ("bottle", synthetic) ]
              Description = sprintf "MVTec AD bottle + synthetic %s at %d px (linked in %s), trained multi-class on the two" synthetic p.ImageSize (rel root) }
        | "mvtec2" ->
            // the multi-class models of experiment 1 on this preset (same DataConfig, so the same runs)
            { Data = pooled p (categories p); Mixup = ("bottle", "transistor")
              CutPaste = [ ("transistor", "bottle"); ("bottle", "transistor") ]
              Description = sprintf "%s, trained multi-class on the two (experiment 1's multi-class models)" p.DataLabel }
        | _ ->
            for c in [ "hazelnut"; "screw"; "cable"; "wood" ] do
                if not (Directory.Exists(Path.Combine(p.DataRoot, c))) then
                    failwithf "preset %s: the interference experiments need MVTec AD category %s under --data-root %s" p.Name c p.DataRoot
            // a smoke run trains on just the four categories the test sets use
            let trained = if p.Smoke then data p [ "hazelnut"; "screw"; "cable"; "wood" ] "multi-class" else pooled p (categories p)
            { Data = trained; Mixup = ("hazelnut", "screw"); CutPaste = [ ("cable", "wood") ]
              Description = "MVTec AD, the paper's multi-class models (all categories pooled)" }

    /// A test-time variant of a trained run (same checkpoint, method options rewritten, e.g.
    /// ["Variant=Forward"]): evaluated once into <run>/variants/<name>/ and reused after that.
    /// Its folder reads like a run's (runRows), under the given table label.
    let variant (p: Preset) (label: string) (runDir: string) (name: string) (options: string list) : string =
        // submitting to Slurm, a variant never stops the planning: the script's later runs still join the array
        match p.Executor with
        | Slurm(_, _, false) -> ()
        | _ -> requireTrained p
        if planned.Exists(fun (_, c) -> c.OutDir = runDir) then
            printfn "-- %s | variant %s of %s: evaluated when collecting (its run is left to the Slurm array)" label name (Path.GetFileName runDir)
            Path.Combine(runDir, CheckpointVariant.Folder, slug name)
        else
            printfn "-- %s | variant %s of %s" label name (Path.GetFileName runDir)
            let sw = Stopwatch.StartNew()
            let struct (dir, outcome) =
                CheckpointVariant.Ensure(trainer.Value, runDir, slug name, (fun c -> MethodOptions.Apply(c, options)), Console.Out)
            runs.Add(ExperimentRun(label, Path.GetRelativePath(repoRoot, dir), string outcome, sw.Elapsed.TotalSeconds,
                                   Training = RunProvenance.Read dir))
            dir

    /// Data at another image size than the preset's. The synthetic benchmark is generated at the size it
    /// is used at (a sibling folder synthetic-<size> of the preset's root), not upscaled from 64 px.
    let dataAt (p: Preset) (size: int) (categories: string list) (protocol: string) =
        let root =
            if p.Format = "synthetic" && size <> p.ImageSize then
                Path.Combine(Path.GetDirectoryName(Path.GetFullPath p.DataRoot), sprintf "synthetic-%d" size)
            else p.DataRoot
        DataConfig(p.Format, root, Array.ofList categories, protocol, size)

