// Experiment 4b — DSKD ablation (issue 10 exp. 4; issue 8; the paper's Tables 4-5): forward student
// only, reverse student only, manual fusion 1:3 and the learned fusion, at 128 and 256 px, one-class.
// The four variants share one trained model: each student's loss and optimiser are independent of the
// other's, and the fusion net trains after the students with them frozen, so a Learned run holds
// exactly the students a Forward/Reverse/Manual run would train. Each size and seed is trained once
// (Variant=Learned, default options) and its checkpoint evaluated under each Variant.
//   dotnet fsi experiments/ablation-dskd.fsx [--preset quick|bottle|mvtec2|paper] [--smoke] [--seeds 0,1,2]
//     [--sizes 128,256] [--fusion-steps N] [--skip-source Deeper|Target|Shallower|None]
//     (a non-default fusion length or skip source trains separate runs labelled "dskd fusion N" / "dskd skip S"; give --out too)
#load "Lab.fsx"
open Deedle
open Plotly.NET
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "ablation-dskd"
let sizesArg, argv = Lab.scriptOption "--sizes" fsi.CommandLineArgs.[1..]
let fusionArg, argv' = Lab.scriptOption "--fusion-steps" argv
let skipArg, argv'' = Lab.scriptOption "--skip-source" argv'
let fusionSteps = fusionArg |> Option.map (Lab.intOf "--fusion-steps")
let p = Lab.preset experiment argv''
// smoke: the preset size only (64 px), to stay within CI's time
let sizes =
    match sizesArg with
    | Some s -> Lab.intsOf "--sizes" s
    | None -> if p.Smoke then [ p.ImageSize ] else [ 128; 256 ]
// a non-default fusion length trains its own runs (same students: they train before the fusion net, seeded alike)
let runLabel, dskdOptions =
    let fusion = fusionSteps |> Option.map (fun n -> sprintf "fusion %d" n, sprintf "FusionSteps=%d" n)
    let skip = skipArg |> Option.map (fun s -> sprintf "skip %s" (s.ToLowerInvariant()), sprintf "SkipSource=%s" s)
    let parts = [ fusion; skip ] |> List.choose id
    (if parts.IsEmpty then "dskd" else "dskd " + System.String.Join(" ", parts |> List.map fst)), parts |> List.map snd
// quick: two synthetic categories (a texture and an object) to keep 256 px affordable on CPU
let categories =
    match p.Name with
    | "quick" -> Lab.categories p |> List.filter (fun c -> c = "woven" || c = "hexnut") |> fun cs -> if cs.IsEmpty then List.truncate 2 (Lab.categories p) else cs
    | _ -> Lab.categories p
let headline = [ "ImageAuroc"; "PixelAuroc"; "Aupro" ]
let variants =
    [ "forward only", "Forward"; "reverse only", "Reverse"; "manual fusion 1:3", "Manual"; "learned fusion", "Learned" ]
let label size name = sprintf "%d px %s" size name
let dskdConfig = Lab.methodConfig p "dskd" dskdOptions
let dskdUsed = dskdConfig :?> Workbench.Methods.Dskd.DskdConfig
Lab.note (sprintf "DSKD one-class on %s at %s px; students %d epochs, fusion %d steps, skip source %A (%s); the variants are test-time maps of one trained model per size, category and seed"
            (System.String.Join(", ", categories)) (System.String.Join(" and ", sizes)) p.Epochs dskdUsed.FusionSteps dskdUsed.SkipSource
            (if dskdOptions.IsEmpty then "DskdConfig defaults" else System.String.Join(", ", dskdOptions)))

// ---- runs: per seed, size and category one training (label "dskd", default options, so a bottle
// run at the preset size is experiment 1's), then the other variants read from its checkpoint
let labelled =
    [ for s in p.Seeds do
        for size in sizes do
            for c in categories do
                let run = Lab.train p runLabel dskdConfig (Lab.dataAt p size [ c ] "one-class") s
                for (name, v) in variants ->
                    let l = label size name
                    l, (if v = "Learned" then run else Lab.variant p l run (v.ToLowerInvariant()) [ "Variant=" + v ]) ]

// ---- rows: a one-class run covers one category; the mean over categories is formed per seed
let rows = Lab.runRows p labelled |> List.filter (fun r -> r.Category <> "mean")
let means = RunTable.MeanOverCategories rows |> List.ofSeq
let stats = SeedSummary.Of(rows @ means, Lab.tableMetrics) |> List.ofSeq
let stat l category metric = stats |> List.tryFind (fun s -> s.Label = l && s.Category = category && s.Metric = metric)
let show = Option.map (fun (s: SeedStat) -> s.Display) >> Option.defaultValue "–"
let delta l reference category metric =
    match stat l category metric, stat reference category metric with
    | _ when l = reference -> "0"
    | Some a, Some z when not (System.Double.IsNaN a.Mean || System.Double.IsNaN z.Mean) -> sprintf "%+.1f" (100. * (a.Mean - z.Mean))
    | _ -> "–"

// ---- tables: mean over categories, and per category
type Row =
    { Size: string; Category: string; Variant: string
      ``Image AUROC``: string; ``Pixel AUROC``: string; AUPRO: string; ``RD4AD PRO``: string
      ``Δ image vs learned``: string; ``Δ pixel vs learned``: string; ``Δ AUPRO vs learned``: string }
let rowsFor category =
    [ for size in sizes do
        for (name, _) in variants ->
            let l, r = label size name, label size "learned fusion"
            { Size = sprintf "%d px" size; Category = category; Variant = name
              ``Image AUROC`` = show (stat l category "ImageAuroc"); ``Pixel AUROC`` = show (stat l category "PixelAuroc"); AUPRO = show (stat l category "Aupro")
              ``RD4AD PRO`` = show (stat l category "Rd4adPro")
              ``Δ image vs learned`` = delta l r category "ImageAuroc"; ``Δ pixel vs learned`` = delta l r category "PixelAuroc"; ``Δ AUPRO vs learned`` = delta l r category "Aupro" } ]
let scope = sprintf "one-class on %s" (System.String.Join(", ", categories))
Lab.table p "table"
    (sprintf "DSKD ablation (paper Tables 4-5), %s, mean over categories; mean ± std over %d seed(s) (percent); Δ = points vs the learned fusion. \
Forward/reverse/manual are the learned run's checkpoint evaluated with another Variant (same students). Manual = (1·forward + 3·reverse)/4. \
Students %d epochs, fusion net %d steps (%A form), skip source %A, synthetic anomalies from %s." scope p.Seeds.Length p.Epochs dskdUsed.FusionSteps dskdUsed.FusionForm dskdUsed.SkipSource
        (if dskdUsed.TextureFolder = "" then "PROCEDURAL textures" else "DTD textures"))
    (Frame.ofRecords (rowsFor "mean"))
if categories.Length > 1 then
    Lab.table p "table-per-category" (sprintf "DSKD ablation per category, %s; mean ± std over %d seed(s) (percent)." scope p.Seeds.Length)
        (Frame.ofRecords (categories |> List.collect rowsFor))

// ---- claims: every map against the learned fusion (the paper's full model), and forward against reverse, per size
Lab.claims p "DSKD ablation, mean over categories: each map against the learned fusion, and the forward student against the reverse one, per image size"
    [ for metric in Lab.tableMetrics do
        for size in sizes do
            let learned = label size "learned fusion"
            for (name, _) in variants do
                if name <> "learned fusion" then
                    yield Lab.claim (sprintf "%dpx-%s-vs-learned-%s" size (Lab.idPart name) (Lab.metricId metric)) (label size name) learned metric (stat (label size name) "mean" metric) (stat learned "mean" metric)
            yield Lab.claim (sprintf "%dpx-forward-vs-reverse-%s" size (Lab.metricId metric)) (label size "forward only") (label size "reverse only") metric
                      (stat (label size "forward only") "mean" metric) (stat (label size "reverse only") "mean" metric) ]

// ---- figure: per metric, variants on x, one bar per size
let metricName = function "ImageAuroc" -> "image AUROC" | "PixelAuroc" -> "pixel AUROC" | "Aupro" -> "AUPRO" | m -> m
let colours = [ "#4C78A8"; "#F58518" ]
let panel metric first =
    let bars = [ for (i, size) in List.indexed sizes -> i, size, variants |> List.map (fun (name, _) -> stat (label size name) "mean" metric) ]
    bars
    |> List.map (fun (i, size, ss) -> Lab.seedBars (sprintf "%d px" size) (List.map fst variants) ss colours.[i % colours.Length] first)
    |> Chart.combine
    |> Chart.withXAxisStyle (TitleText = "anomaly map")
    |> Chart.withYAxisStyle (TitleText = sprintf "%s (%%)" (metricName metric), MinMax = Lab.percentRange (bars |> Seq.collect (fun (_, _, ss) -> ss)))
let chart =
    headline |> List.mapi (fun i m -> panel m (i = 0))
    |> Chart.Grid(1, headline.Length)
    |> Chart.withLayoutStyle (BarMode = StyleParam.BarMode.Group)
let fusionNote = if dskdOptions.IsEmpty then "" else ", " + System.String.Join(", ", dskdOptions)
Lab.figureAt p (System.String.Join(" and ", sizes) + " px") "bars" (sprintf "DSKD ablation, %s%s: mean over categories, %s" scope fusionNote (Lab.errorBarsText p)) chart 1600 540

Lab.finish p experiment [ "sizes", System.String.Join(",", sizes); "categories", System.String.Join(",", categories); "protocol", "one-class" ]
