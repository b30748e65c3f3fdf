// Experiment 3 — cross-class interference, cut-paste (SNL, Fig. 2c): a rectangle cut from a normal
// image of one trained category is pasted onto a normal image of another. The patch is normal for
// the model's training set as a whole, only out of place, so a model suffering cross-class
// interference does not light it up. Measured: pixel AUROC with the pasted rectangle as ground
// truth, image AUROC pasted vs normal, per target category; an overlay gallery.
// Uses the same trained models as interference-mixup (same labels and configs → reused).
//   dotnet fsi experiments/interference-cutpaste.fsx [--preset quick|bottle|mvtec2|paper] [--smoke]
#load "Lab.fsx"
open System
open System.IO
open Deedle
open Plotly.NET
open Workbench.Engine
open Workbench.Data.Synthesis
open Workbench.Metrics
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "interference-cutpaste"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
let methods = Lab.methods p [ "fd"; "rd"; "snl-fd"; "snl-rd" ]
let setup = Lab.interference p          // training data and categories, shared with interference-mixup
let testSeed = 0                        // one fixed test set for every model
let minSide, maxSide = 0.1, 0.3         // patch sides as fractions of the image side (CutPaste's range; Fig. 2c: "a small region")
let galleryPerDirection = 3
let directionText = String.Join("; ", setup.CutPaste |> List.map (fun (d, t) -> sprintf "%s patch onto %s" d t))
Lab.note (sprintf "models: %s" setup.Description)
Lab.note (sprintf "test set: %s; every normal test image of the target once with a patch (sides %.0f–%.0f %% of the image) from a random donor image, plus the unchanged normals (seed %d)" directionText (100. * minSide) (100. * maxSide) testSeed)

// ---- models: the interference-mixup runs; seed-major order
let runs = [ for s in p.Seeds do for m in methods -> m, s, Lab.train p m (Lab.methodConfig p m []) setup.Data s ]
Lab.requireTrained p // the checkpoints are scored below (with --executor slurm: submitted here, read when collecting)

// ---- test set: per direction, the target's normals (label 0) and the same images with a pasted patch (label 1)
let involved = setup.CutPaste |> List.collect (fun (d, t) -> [ d; t ]) |> List.distinct
let normals = NormalTestImages.Load(setup.Data, Array.ofList involved)
let byName c = normals |> Seq.find (fun n -> n.Category = c)
let testSet = CrossClassTestSet.CutPaste([| for d, t in setup.CutPaste -> struct (byName d, byName t) |], testSeed, minSide, maxSide)
let labels = TorchSharp.torch.tensor testSet.Labels
printfn "test set: %d normal, %d pasted" (testSet.Labels |> Array.filter ((=) 0) |> Array.length) (testSet.Labels |> Array.sum)
let donorOf target = setup.CutPaste |> List.find (fun (_, t) -> t = target) |> fst
let targetName t = sprintf "%s (patch from %s)" t (donorOf t)

// ---- score every checkpoint: metrics per target category (normals + pasted of that target)
type Scored = { Method: string; Seed: int; RunDir: string; Metrics: EvaluationResult; Scores: float32[]; Inside: float[]; Outside: float[]; Maps: ScoredImages option }
let maskFlat = testSet.Masks.flatten(1)
let scored =
    runs |> List.map (fun (m, s, dir) ->
        use scorer = CheckpointScorer.ForRun(dir, p.Device)
        let r = scorer.Score(testSet.Images, p.BatchSize)
        let metrics = Evaluate.Run(r.Maps, testSet.Masks, labels, r.Scores, testSet.Categories, EvaluateOptions(Rd4adPro = p.Rd4adPro))
        // per image: mean map inside the pasted rectangle and outside it (where the map points)
        let flat = r.Maps.flatten(1)
        let inside = ((flat * maskFlat).sum(1) / maskFlat.sum(1).clamp_min(1.)).data<float32>().ToArray() |> Array.map float
        let outside = ((flat * (1. - maskFlat)).sum(1) / (1. - maskFlat).sum(1).clamp_min(1.)).data<float32>().ToArray() |> Array.map float
        let keep = s = List.head p.Seeds                       // the first seed's maps feed the gallery
        printfn "%s seed %d: pixel AUROC %.4f, image AUROC %.4f" m s metrics.Mean.PixelAuroc metrics.Mean.ImageAuroc
        let result = { Method = m; Seed = s; RunDir = dir; Metrics = metrics; Scores = r.ScoreArray(); Inside = inside; Outside = outside; Maps = (if keep then Some r else None) }
        if not keep then r.Dispose()
        result)

// ---- per-image scores (for worst-case notebooks): scores.csv
type ImageRow = { Method: string; Seed: int; Kind: string; Target: string; Image: string; Donor: string; Score: float; ``Pasted fraction``: float; ``Map mean inside``: float; ``Map mean outside``: float; RunDir: string }
let pastedFraction = testSet.Masks.mean([| 1L; 2L; 3L |]).data<float32>().ToArray()
let imageRows =
    [ for r in scored do
        for i, item in Seq.indexed testSet.Items ->
            { Method = r.Method; Seed = r.Seed; Kind = item.Kind; Target = item.Category; Image = item.Source
              Donor = (match item.Partner with null -> "" | x -> x); Score = float r.Scores.[i]; ``Pasted fraction`` = float pastedFraction.[i]
              ``Map mean inside`` = (if item.IsAnomalous then r.Inside.[i] else nan); ``Map mean outside`` = r.Outside.[i]
              RunDir = Path.GetRelativePath(Lab.repoRoot, r.RunDir) } ]
let scoresCsv = Path.Combine(p.OutDir, "scores.csv")
(Frame.ofRecords imageRows).SaveCsv(scoresCsv, includeRowKeys = false)
Lab.output scoresCsv

// ---- table: pixel AUROC on the pasted region, image AUROC, AUPRO per method × target, mean ± std over seeds
let targets = setup.CutPaste |> List.map snd
let stat m (category: string) (pick: MetricSet -> float) =
    let values = scored |> List.filter (fun r -> r.Method = m) |> List.map (fun r -> pick (if category = "mean" then r.Metrics.Mean else r.Metrics.PerCategory.[category]))
    SeedSummary.OfValues(m, "multi-class", category, "", values)
type Row = { Method: string; Target: string; ``Pixel AUROC, pasted region (%)``: string; ``Image AUROC, pasted vs normal (%)``: string; ``AUPRO (%)``: string
             ``RD4AD PRO (%)``: string }
let tableRows =
    [ for m in methods do
        for c in targets @ (if targets.Length > 1 then [ "mean" ] else []) ->
            { Method = m; Target = (if c = "mean" then "mean over targets" else targetName c)
              ``Pixel AUROC, pasted region (%)`` = (stat m c (fun x -> x.PixelAuroc)).Display
              ``Image AUROC, pasted vs normal (%)`` = (stat m c (fun x -> x.ImageAuroc)).Display
              ``AUPRO (%)`` = (stat m c (fun x -> x.Aupro)).Display
              ``RD4AD PRO (%)`` = (stat m c (fun x -> if x.Rd4adPro.HasValue then x.Rd4adPro.Value else nan)).Display } ]
Lab.table p "table" "Cross-class cut-paste: pixel AUROC with the pasted rectangle as ground truth (over the target's normal and pasted test images), image AUROC pasted vs normal, AUPRO and RD4AD PRO; mean ± std over seeds." (Frame.ofRecords tableRows)

// SNL vs its baseline (the paper: FD/RD fail to locate a patch of another category, SNL locates it)
Lab.claims p "cut-paste (SNL Fig. 2c), mean over targets: SNL against its baseline (better = locates / detects the pasted patch better, as the paper claims)"
    [ for b, snl in [ "fd", "snl-fd"; "rd", "snl-rd" ] do
        if List.contains b methods && List.contains snl methods then
            for name, pick in [ "PixelAuroc", (fun (x: MetricSet) -> x.PixelAuroc); "ImageAuroc", (fun x -> x.ImageAuroc) ] ->
                Lab.claim (sprintf "%s-vs-%s-%s" snl b (Lab.metricId name)) snl b name (Some(stat snl "mean" pick)) (Some(stat b "mean" pick)) ]

// ---- gallery (core MapGallery): per direction a few pasted images; columns: image with the pasted
// rectangle outlined | pasted-region mask | each method's map overlay (first seed), min–max per cell
let galleryIdx =
    [ for t in targets do
        yield! testSet.Items |> Seq.indexed |> Seq.filter (fun (_, it) -> it.Kind = "cut-paste" && it.Category = t) |> Seq.map fst |> Seq.truncate galleryPerDirection ]
let firstSeedMaps = methods |> List.map (fun m -> (scored |> List.find (fun r -> r.Method = m && r.Maps.IsSome)).Maps.Value)
let gallery = [ for i in galleryIdx -> MapGalleryRow(testSet.ImageRaster i, testSet.MaskRaster i, [| for s in firstSeedMaps -> s.Map i |]) ]
let galleryPath = Path.Combine(p.OutDir, "gallery.png")
let galleryLabels = [ for i in galleryIdx -> let it = testSet.Items.[i] in sprintf "%s patch on %s" (donorOf it.Category) it.Category ]
Workbench.Imaging.PngWriter.Write(galleryPath, MapGallery.Build(gallery, maskColumn = true, mapNames = methods, rowLabels = galleryLabels))
Lab.output galleryPath
Lab.note (sprintf "gallery.png (labelled in the image): rows = %s; columns = image (pasted rectangle outlined red) | pasted-region mask | anomaly map of %s (seed %d), each min–max scaled within its cell"
              (String.Join(", ", galleryIdx |> List.map (fun i -> let it = testSet.Items.[i] in sprintf "%s with %s patch" it.Source it.Partner)))
              (String.Join(", ", methods)) (List.head p.Seeds))

Lab.finish p experiment [ "methods", String.Join(",", methods); "cutPaste", directionText; "patchSides", sprintf "%.2f-%.2f" minSide maxSide; "testSeed", string testSeed
                          "trainCategories", String.Join(",", setup.Data.Categories); "trainRoot", Lab.portable setup.Data.Root ]
