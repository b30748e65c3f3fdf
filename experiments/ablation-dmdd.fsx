// Experiment 4c — DMDD component ablation (issue 10 exp. 4; issue 9): the full method against itself
// without the abnormality branch (a separate training: the branch changes the student), without the
// multi-perception segmentation net (the same checkpoint: the net trains after the student, with it
// frozen, so its removal changes only the map), and with a max instead of a top-k image score (the same
// checkpoint). RD, whose reverse student DMDD decouples, is the reference. Multi-class on quick,
// one-class where the preset has one category (bottle); the full DMDD and RD runs are experiment 1's.
//   dotnet fsi experiments/ablation-dmdd.fsx [--preset quick|bottle|mvtec2|paper] [--smoke] [--seeds 0,1,2]
#load "Lab.fsx"
open Deedle
open Plotly.NET
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "ablation-dmdd"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
let categories = Lab.categories p
let headline = [ "ImageAuroc"; "PixelAuroc"; "Aupro" ]
// paper: one model per category (the paper's MVTec AD / MPDD protocol); quick: multi-class over all
// categories, as experiment 1; bottle: one category, so one-class
let multiClass = p.Name <> "paper" && categories.Length >= 2
let dataSets = if multiClass then [ Lab.pooled p categories ] else categories |> List.map (fun c -> Lab.data p [ c ] "one-class")
let protocol = if multiClass then "multi-class" else "one-class"
let topK = (Lab.methodConfig p "dmdd" [] :?> Workbench.Methods.Dmdd.DmddConfig).TopK

// Rows: label, what it is, how it is obtained (trained run label or variant of the full run).
let rowSpecs =
    [ "rd", "RD (reference)"
      "dmdd", sprintf "DMDD full: segmentation net, top-%d mean score" topK
      "dmdd max score", "DMDD, max score instead of top-k"
      "dmdd no segmentation", sprintf "DMDD without segmentation net (sum of the six maps), top-%d mean" topK
      "dmdd no segmentation, max score", "DMDD without segmentation net, max score"
      "dmdd no abnormality branch", sprintf "DMDD without abnormality branch (separate training), top-%d mean" topK ]

// ---- runs, seed-major
let labelled =
    [ for s in p.Seeds do
        for d in dataSets do
            yield "rd", Lab.train p "rd" (Lab.methodConfig p "rd" []) d s
            let full = Lab.train p "dmdd" (Lab.methodConfig p "dmdd" []) d s
            yield "dmdd", full
            yield "dmdd max score", Lab.variant p "dmdd max score" full "max-score" [ "Score=Max" ]
            yield "dmdd no segmentation", Lab.variant p "dmdd no segmentation" full "no-segmentation" [ "Segmentation=false" ]
            yield "dmdd no segmentation, max score", Lab.variant p "dmdd no segmentation, max score" full "no-segmentation-max" [ "Segmentation=false"; "Score=Max" ]
            yield "dmdd no abnormality branch",
                  Lab.train p "dmdd no abnormality branch" (Lab.methodConfig p "dmdd" [ "AbnormalityBranch=false" ]) d s ]

// ---- rows: multi-class runs carry their own mean; one-class runs are averaged per seed
let rows = Lab.runRows p labelled
let meanRows =
    if multiClass then rows |> List.filter (fun r -> r.Category = "mean")
    else rows |> List.filter (fun r -> r.Category <> "mean") |> RunTable.MeanOverCategories |> List.ofSeq
let stats = SeedSummary.Of(meanRows, Lab.tableMetrics) |> List.ofSeq
let stat l metric = stats |> List.tryFind (fun s -> s.Label = l && s.Metric = metric)
let show = Option.map (fun (s: SeedStat) -> s.Display) >> Option.defaultValue "–"
let delta l reference metric =
    match stat l metric, stat reference metric with
    | _ when l = reference -> "0"
    | Some a, Some z when not (System.Double.IsNaN a.Mean || System.Double.IsNaN z.Mean) -> sprintf "%+.1f" (100. * (a.Mean - z.Mean))
    | _ -> "–"

type Row =
    { Variant: string; Run: string
      ``Image AUROC``: string; ``Pixel AUROC``: string; AUPRO: string; ``RD4AD PRO``: string
      ``Δ image vs full``: string; ``Δ pixel vs full``: string; ``Δ AUPRO vs full``: string }
let tableRows =
    [ for (l, what) in rowSpecs ->
        { Variant = what; Run = l
          ``Image AUROC`` = show (stat l "ImageAuroc"); ``Pixel AUROC`` = show (stat l "PixelAuroc"); AUPRO = show (stat l "Aupro"); ``RD4AD PRO`` = show (stat l "Rd4adPro")
          ``Δ image vs full`` = delta l "dmdd" "ImageAuroc"; ``Δ pixel vs full`` = delta l "dmdd" "PixelAuroc"; ``Δ AUPRO vs full`` = delta l "dmdd" "Aupro" } ]
Lab.table p "table"
    (sprintf "DMDD component ablation, %s on %s, mean over categories; mean ± std over %d seed(s) (percent); Δ = points vs full DMDD. \
'max score' and 'without segmentation net' are the full run's checkpoint evaluated with Score=Max / Segmentation=false (same student); \
'without abnormality branch' is its own training (AbnormalityBranch=false). Student %d epochs, segmentation net %d epochs."
        protocol (System.String.Join(", ", categories)) p.Seeds.Length p.Epochs
        ((Lab.methodConfig p "dmdd" [] :?> Workbench.Methods.Dmdd.DmddConfig).SegmentationEpochs))
    (Frame.ofRecords tableRows)

// ---- claims: every variant against full DMDD
Lab.claims p (sprintf "DMDD ablation (%s), mean over categories: each variant against full DMDD" protocol)
    [ for metric in Lab.tableMetrics do
        for (l, _) in rowSpecs do
            if l <> "dmdd" then yield Lab.claim (sprintf "%s-vs-full-%s" (Lab.idPart l) (Lab.metricId metric)) l "dmdd" metric (stat l metric) (stat "dmdd" metric) ]

// ---- figure: one panel per metric, one bar per variant, error bars = std over seeds
let metricName = function "ImageAuroc" -> "image AUROC" | "PixelAuroc" -> "pixel AUROC" | "Aupro" -> "AUPRO" | m -> m
let shortName = function
    | "rd" -> "RD" | "dmdd" -> "DMDD full" | "dmdd max score" -> "max score" | "dmdd no segmentation" -> "− seg. net"
    | "dmdd no segmentation, max score" -> "− seg. net, max" | "dmdd no abnormality branch" -> "− abn. branch" | l -> l
let panel metric =
    let ss = rowSpecs |> List.map (fun (l, _) -> stat l metric)
    Lab.seedBars (metricName metric) (rowSpecs |> List.map (fst >> shortName)) ss "#4C78A8" false
    |> Chart.withXAxisStyle (TitleText = "variant")
    |> Chart.withYAxisStyle (TitleText = sprintf "%s (%%)" (metricName metric), MinMax = Lab.percentRange ss)
let chart = headline |> List.map panel |> Chart.Grid(1, headline.Length)
Lab.figure p "bars" (sprintf "DMDD ablation (%s): mean over categories, %s" protocol (Lab.errorBarsText p)) chart 1600 540

Lab.finish p experiment [ "categories", System.String.Join(",", categories); "protocol", protocol ]
