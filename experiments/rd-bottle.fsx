// RD4AD one-class on real MVTec AD bottle against the official code's numbers (issue 16: "RD on bottle,
// 128 px × 50 epochs and 256 px × 20 epochs, ResNet-18 from ../shared"). Each run is exactly what
// `workbench train --method rd … --rd4ad-pro --out runs/rd-bottle/<size>px-e<epochs>-s<seed> --device cpu`
// trains (same RunConfig, paths relative to the repository root), so runs made by that command are reused.
// Not a Lab preset script: one method, one dataset, the CLI's own run folders.
//   dotnet fsi experiments/rd-bottle.fsx [--sizes 128,256] [--seeds 0,1,2]   → results/rd-bottle/
#load "Prelude.fsx"
#r "../core/bin/Debug/net10.0/Deedle.dll"
open System
open System.IO
open Deedle
open Workbench.Engine
open Workbench.Methods
open Workbench.Reporting

// ---- configuration
let args = fsi.CommandLineArgs.[1..] |> Array.chunkBySize 2 |> Array.map (function [| k; v |] -> k, v | a -> failwithf "expected --option value pairs, got %A" a) |> Map.ofArray
for k in args.Keys do if k <> "--sizes" && k <> "--seeds" then failwithf "unknown option %s (--sizes, --seeds)" k
let ints (option: string) (s: string) =
    s.Split(',') |> Array.map (fun x -> match Int32.TryParse x with | true, v -> v | _ -> failwithf "option %s: '%s' is not an integer" option x) |> List.ofArray
let sizes = args.TryFind "--sizes" |> Option.map (ints "--sizes") |> Option.defaultValue [ 128; 256 ]
let seeds = args.TryFind "--seeds" |> Option.map (ints "--seeds") |> Option.defaultValue [ 0; 1; 2 ]
let repoRoot = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, ".."))
let epochsAt = function 128 -> 50 | 256 -> 20 | s -> failwithf "--sizes: %d px has no protocol here (128 or 256)" s
// The official RD4AD code on the same data and weights (issue 16): 128 px × 50 epochs.
let official = [ 128, (99.8, 98.1, 93.8) ] |> Map.ofList
let outDir = Path.Combine(repoRoot, "results", "rd-bottle")
Environment.CurrentDirectory <- repoRoot   // relative paths as the CLI writes them
let weights = "../shared/weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors"
if not (File.Exists weights && Directory.Exists "../shared/data/mvtec_ad/bottle") then
    failwith "rd-bottle needs ../shared/data/mvtec_ad/bottle and ../shared/weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors"

// ---- runs (trained, resumed or reused)
let trainer = Trainer(LineProgressSink(Console.Out), Console.Out)
let runs =
    [ for size in sizes do
        for seed in seeds ->
            let epochs = epochsAt size
            let methodCfg = MethodOptions.Apply(MethodFactory.DefaultConfig "rd", [ "Teacher=resnet18"; "TeacherWeights=" + weights; sprintf "Epochs=%d" epochs ])
            let cfg = RunConfig(Data = DataConfig("mvtec", "../shared/data/mvtec_ad", [| "bottle" |], "one-class", size), Method = methodCfg,
                                Seed = seed, BatchSize = 16, EvalEvery = 0, Device = "cpu", OutDir = sprintf "runs/rd-bottle/%dpx-e%d-s%d" size epochs seed,
                                MaxStepsPerEpoch = 0, Rd4adPro = true)
            let struct (dir, outcome) = RunStore.Ensure(trainer, cfg, Console.Out)
            printfn "-- %d px seed %d: %A" size seed outcome
            sprintf "%d px × %d epochs" size epochs, dir ]

// ---- table: mean ± std over seeds, and the official code where we have it
let metrics = [ "ImageAuroc"; "PixelAuroc"; "Aupro"; "Rd4adPro" ]
let rows = runs |> List.collect (fun (label, dir) -> RunTable.Read(label, dir) |> List.ofSeq) |> List.filter (fun r -> r.Category = "bottle")
let stats = SeedSummary.Of(rows, metrics) |> List.ofSeq
let show label metric = stats |> List.tryFind (fun s -> s.Label = label && s.Metric = metric) |> Option.map (fun s -> s.Display) |> Option.defaultValue "–"
let perSeed label metric = rows |> List.filter (fun r -> r.Label = label) |> List.sortBy (fun r -> r.Seed) |> List.map (fun r -> sprintf "%.1f" (100. * RunTable.Metric(r, metric))) |> fun xs -> String.Join(" / ", xs)
type Row = { Setting: string; Source: string; ``Image AUROC``: string; ``Pixel AUROC``: string; AUPRO: string; ``RD4AD PRO``: string; Seeds: string }
let tableRows =
    [ for size in sizes do
        let label = sprintf "%d px × %d epochs" size (epochsAt size)
        yield { Setting = label; Source = "ours (mean ± std)"; ``Image AUROC`` = show label "ImageAuroc"; ``Pixel AUROC`` = show label "PixelAuroc"
                AUPRO = show label "Aupro"; ``RD4AD PRO`` = show label "Rd4adPro"; Seeds = String.Join(",", seeds) }
        yield { Setting = label; Source = "ours, per seed"; ``Image AUROC`` = perSeed label "ImageAuroc"; ``Pixel AUROC`` = perSeed label "PixelAuroc"
                AUPRO = perSeed label "Aupro"; ``RD4AD PRO`` = perSeed label "Rd4adPro"; Seeds = String.Join(",", seeds) }
        match official.TryFind size with
        | Some (i, p, pro) ->
            yield { Setting = label; Source = "official RD4AD code (issue 16)"; ``Image AUROC`` = sprintf "%.1f" i; ``Pixel AUROC`` = sprintf "%.1f" p
                    AUPRO = "–"; ``RD4AD PRO`` = sprintf "%.1f" pro; Seeds = "?" }
        | None -> () ]
Directory.CreateDirectory outDir |> ignore
TableFile.Write(Frame.ofRecords tableRows, Path.Combine(outDir, "table"),
    "RD4AD one-class on MVTec AD bottle (real data), ResNet-18 ImageNet teacher (resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors), \
RD defaults (Adam 0.005, betas 0.5/0.999, batch 16 with the last partial batch kept, flattened cosine loss, official kaiming init, summed maps, σ = 4, score = max), CPU. \
AUPRO = MVTec AD definition; RD4AD PRO = RD4AD's per-image compute_pro (the official code's number).") |> ignore
File.WriteAllText(Path.Combine(outDir, "provenance.csv"),   // not runs.csv: that name is the experiments' per-run metric table
    "label,seed,run_dir,commit,threads,train_seconds\n" +
    String.Join("\n", [ for (label, dir) in runs ->
                          let m = Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))
                          let seed = m.["Config"].["Seed"].GetValue<int>()
                          sprintf "%s,%d,%s,%s,%d,%.0f" label seed (dir.Replace('\\', '/')) (m.["GitCommit"].GetValue<string>()) (m.["Threads"].GetValue<int>())
                                  (m.["PhaseSeconds"].["train:student"].GetValue<float>()) ]) + "\n")
// each run's small files (not the checkpoint) next to the table
for (_, dir) in runs do
    let dest = Path.Combine(outDir, Path.GetFileName(dir: string))
    Directory.CreateDirectory dest |> ignore
    for f in [ "manifest.json"; "metrics.json"; "metrics.csv"; "history.csv"; "scores.csv" ] do
        File.Copy(Path.Combine(dir, f), Path.Combine(dest, f), true)
printfn "%s" (File.ReadAllText(Path.Combine(outDir, "table.md")))
