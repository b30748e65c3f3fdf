// Experiment 2 — cross-class interference, mixup (SNL, Fig. 2b): models trained multi-class on two
// categories score the normal test images of both and mixups of an A image with a B image. A mixup
// holds only features the student has learnt to reproduce, so a model suffering cross-class
// interference scores it like a normal image. Claim to test: FD/RD barely separate mixups from
// normals, SNL-FD/SNL-RD do. Separability = AUROC(mixup vs normal image scores).
//   dotnet fsi experiments/interference-mixup.fsx [--preset quick|bottle|mvtec2|paper] [--smoke]
#load "Lab.fsx"
open System
open System.IO
open Deedle
open Plotly.NET
open Workbench.Engine
open Workbench.Data.Synthesis
open Workbench.Imaging
open Workbench.Metrics
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "interference-mixup"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
let methods = Lab.methods p [ "fd"; "rd"; "snl-fd"; "snl-rd" ]
let setup = Lab.interference p          // training data and categories, shared with interference-cutpaste
let catA, catB = setup.Mixup
let testSeed = 0                        // one fixed test set for every model
let lambda = 0.5                        // x = λ·a + (1−λ)·b; Fig. 2b does not state λ, 0.5 is an even blend
let percentile = 95.                    // plotted scores are divided by this percentile of the model's normal scores
let galleryRows = 6
Lab.note (sprintf "models: %s" setup.Description)
Lab.note (sprintf "test set: normal test images of %s and %s vs mixups λ = %.2f of random %s × %s pairs (seed %d)" catA catB lambda catA catB testSeed)

// ---- models: trained multi-class (the same runs as interference-cutpaste); seed-major order
let runs = [ for s in p.Seeds do for m in methods -> m, s, Lab.train p m (Lab.methodConfig p m []) setup.Data s ]
Lab.requireTrained p // the checkpoints are scored below (with --executor slurm: submitted here, read when collecting)

// ---- test set: normals of A and B (label 0) + as many mixups (label 1)
let normals = NormalTestImages.Load(setup.Data, [| catA; catB |])
let testSet = CrossClassTestSet.Mixup(normals.[0], normals.[1], testSeed, lambda)
let labels = testSet.Labels
printfn "test set: %d normal (%s %d, %s %d), %d mixups" (labels |> Array.filter ((=) 0) |> Array.length)
    catA normals.[0].Count catB normals.[1].Count (labels |> Array.sum)

// ---- score every checkpoint on it
let percentileOf (q: float) (xs: float[]) =
    // linear interpolation between order statistics (numpy's default)
    let s = Array.sort xs
    let pos = q / 100. * float (s.Length - 1)
    let lo = int (floor pos)
    let hi = min (lo + 1) (s.Length - 1)
    s.[lo] + (pos - float lo) * (s.[hi] - s.[lo])

type Scored = { Method: string; Seed: int; RunDir: string; Scores: float[]; Separability: float; Scale: float; Maps: ScoredImages option }
let scored =
    runs |> List.map (fun (m, s, dir) ->
        use scorer = CheckpointScorer.ForRun(dir, p.Device)
        let r = scorer.Score(testSet.Images, p.BatchSize)
        let scores = r.ScoreArray() |> Array.map float
        let auroc = BinaryMetrics.Auroc(TorchSharp.torch.tensor (Array.map float32 scores), TorchSharp.torch.tensor labels)
        let scale = scores |> Array.indexed |> Array.filter (fun (i, _) -> labels.[i] = 0) |> Array.map snd |> percentileOf percentile
        let keep = s = List.head p.Seeds                       // the first seed's maps feed the gallery
        if not keep then r.Dispose()
        printfn "%s seed %d: separability AUROC %.4f" m s auroc
        { Method = m; Seed = s; RunDir = dir; Scores = scores; Separability = auroc; Scale = scale; Maps = (if keep then Some r else None) })

// ---- per-image scores (for worst-case notebooks): scores.csv
type ImageRow = { Method: string; Seed: int; Kind: string; Category: string; Image: string; Partner: string; Score: float; ``Score / p95 normal``: float; RunDir: string }
let imageRows =
    [ for r in scored do
        for i, item in Seq.indexed testSet.Items ->
            { Method = r.Method; Seed = r.Seed; Kind = item.Kind; Category = item.Category; Image = item.Source
              Partner = (match item.Partner with null -> "" | x -> x); Score = r.Scores.[i]
              ``Score / p95 normal`` = r.Scores.[i] / r.Scale; RunDir = Path.GetRelativePath(Lab.repoRoot, r.RunDir) } ]
let scoresCsv = Path.Combine(p.OutDir, "scores.csv")
(Frame.ofRecords imageRows).SaveCsv(scoresCsv, includeRowKeys = false)
Lab.output scoresCsv

// ---- table: separability per method, mean ± std over seeds, and the claim check
let sep m = SeedSummary.OfValues(m, "multi-class", "mixup", "Separability", scored |> List.filter (fun r -> r.Method = m) |> List.map (fun r -> r.Separability))
let medianOf kind m =
    [| for r in scored do
         if r.Method = m then
             for i, item in Seq.indexed testSet.Items do
                 if item.Kind = kind then yield r.Scores.[i] / r.Scale |] |> percentileOf 50.
type SepRow = { Method: string; ``Separability AUROC (%)``: string; ``Per seed (%)``: string; ``Median score / p95 normal, normal``: string; ``Median score / p95 normal, mixup``: string }
let sepRows =
    [ for m in methods ->
        { Method = m; ``Separability AUROC (%)`` = (sep m).Display
          ``Per seed (%)`` = String.Join(", ", scored |> List.filter (fun r -> r.Method = m) |> List.map (fun r -> sprintf "s%d %.1f" r.Seed (100. * r.Separability)))
          ``Median score / p95 normal, normal`` = sprintf "%.3f" (medianOf "normal" m)
          ``Median score / p95 normal, mixup`` = sprintf "%.3f" (medianOf "mixup" m) } ]
Lab.table p "separability" (sprintf "Mixup separability: AUROC of image scores, %s+%s mixups (λ = %.2f) vs the normal test images of both; mean ± std over seeds. 50 = no separation." catA catB lambda) (Frame.ofRecords sepRows)

// SNL vs its baseline on separability (the paper: FD/RD barely separate mixups from normals, SNL does)
Lab.claims p (sprintf "mixup separability (SNL Fig. 2b), %s+%s mixups vs normals: SNL against its baseline (better = separates better, as the paper claims)" catA catB)
    [ for b, snl in [ "fd", "snl-fd"; "rd", "snl-rd" ] do
        if List.contains b methods && List.contains snl methods then
            yield Lab.claim (sprintf "%s-vs-%s-separability" snl b) snl b "Separability" (Some(sep snl)) (Some(sep b)) ]

// ---- table: the models' ordinary metrics on their own test set (both categories, real defects)
let rows = Lab.runRows p (runs |> List.map (fun (m, _, dir) -> m, dir))
let stats = SeedSummary.Of(rows, Lab.tableMetrics) |> List.ofSeq
type MetricRow = { Method: string; Category: string; ``Image AUROC (%)``: string; ``Pixel AUROC (%)``: string; ``AUPRO (%)``: string; ``RD4AD PRO (%)``: string }
let metricRows =
    [ for m in methods do
        for c in (rows |> List.map (fun r -> r.Category) |> List.distinct) ->
            let show metric = stats |> List.tryFind (fun s -> s.Label = m && s.Category = c && s.Metric = metric) |> Option.map (fun s -> s.Display) |> Option.defaultValue "–"
            { Method = m; Category = c; ``Image AUROC (%)`` = show "ImageAuroc"; ``Pixel AUROC (%)`` = show "PixelAuroc"; ``AUPRO (%)`` = show "Aupro"; ``RD4AD PRO (%)`` = show "Rd4adPro" } ]
Lab.table p "test-metrics" "The same models on their ordinary multi-class test set (real defects of the trained categories): mean ± std over seeds." (Frame.ofRecords metricRows)

// ---- figure: score distributions, normal vs mixup, per method (all seeds pooled, each normalised by its own model)
let boxes =
    [ for kind, colour in [ "normal", "#4C78A8"; "mixup", "#F58518" ] ->
        let xs, ys =
            [ for r in scored do
                for i, item in Seq.indexed testSet.Items do
                    if item.Kind = kind then yield r.Method, r.Scores.[i] / r.Scale ] |> List.unzip
        Chart.BoxPlot(X = xs, Y = ys, Name = (if kind = "normal" then sprintf "normal (%s, %s)" catA catB else sprintf "mixup %s+%s" catA catB),
                      MarkerColor = Color.fromString colour, BoxPoints = StyleParam.BoxPoints.All, Jitter = 0.4) ]
    |> Chart.combine
    |> Chart.withXAxisStyle (TitleText = "method")
    |> Chart.withYAxisStyle (TitleText = sprintf "image score / %.0fth percentile of the model's normal scores (unitless)" percentile)
    |> Chart.withLayoutStyle (BoxMode = StyleParam.BoxMode.Group)
Lab.figure p "scores" (sprintf "Mixup vs normal image scores per method (%d seed(s) pooled; 1.0 = the model's p%.0f of normal scores)" p.Seeds.Length percentile) boxes 1100 560

// ---- gallery: a few mixups with each method's map (first seed), columns: image | fd | rd | snl-fd | snl-rd
let mixIdx = testSet.Items |> Seq.indexed |> Seq.filter (fun (_, it) -> it.Kind = "mixup") |> Seq.map fst |> Seq.truncate galleryRows |> List.ofSeq
let firstSeedMaps = methods |> List.map (fun m -> (scored |> List.find (fun r -> r.Method = m && r.Maps.IsSome)).Maps.Value)
let galleryRowsData = [ for i in mixIdx -> MapGalleryRow(ImageTensors.ToRaster(testSet.Images.[int64 i]), null, [| for s in firstSeedMaps -> s.Map i |]) ]
let galleryPath = Path.Combine(p.OutDir, "gallery.png")
PngWriter.Write(galleryPath, MapGallery.Build(galleryRowsData, mapNames = methods, rowLabels = (mixIdx |> List.mapi (fun k i -> sprintf "mixup %d (%s)" (k + 1) testSet.Items.[i].Partner))))
Lab.output galleryPath
Lab.note (sprintf "gallery.png (labelled in the image): rows = the first %d mixups; columns = the mixup, then the anomaly map of %s (seed %d), each min–max scaled within its cell" mixIdx.Length (String.Join(", ", methods)) (List.head p.Seeds))

Lab.finish p experiment [ "methods", String.Join(",", methods); "mixup", sprintf "%s+%s" catA catB; "lambda", string lambda; "testSeed", string testSeed
                          "trainCategories", String.Join(",", setup.Data.Categories); "trainRoot", Lab.portable setup.Data.Root ]
