// Experiment 1 — one-class vs multi-class (SNL, Fig. 1): every method trained once per category
// (one-class) and once on all categories pooled (multi-class, no labels); the drop between the two
// is the cost of cross-class interference.
//   dotnet fsi experiments/one-class-vs-multi-class.fsx [--preset quick|bottle|mvtec2|paper] [--smoke] [--equal-steps]
// --equal-steps adds one-class runs trained for as many optimisation steps as the multi-class run
// (more epochs), so the comparison is not confounded by training length.
#load "Lab.fsx"
open Deedle
open Plotly.NET
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "one-class-vs-multi-class"
let equalSteps = Array.contains "--equal-steps" fsi.CommandLineArgs
let p = Lab.preset experiment (fsi.CommandLineArgs.[1..] |> Array.filter ((<>) "--equal-steps"))
let methods = Lab.methods p [ "fd"; "rd"; "snl-fd"; "snl-rd"; "dskd"; "dmdd" ]
let categories = Lab.categories p
let headline = [ "ImageAuroc"; "PixelAuroc"; "Aupro" ]

// ---- runs: per category (one-class) and pooled (multi-class), every seed
let runs = Lab.protocolRuns p methods categories
let oneClass = runs |> List.filter (fun (pr, _, _) -> pr = "one-class") |> List.map (fun (_, m, d) -> m, d)
let multiClass = runs |> List.filter (fun (pr, _, _) -> pr = "multi-class") |> List.map (fun (_, m, d) -> m, d)
// Same epochs for both protocols, as in the papers: a one-class model sees only its category's
// images, so it takes 1/k of the multi-class optimisation steps (k categories).
if categories.Length >= 2 then
    Lab.note (sprintf "equal epochs (%d) for both protocols: each one-class model takes about 1/%d of the multi-class model's optimisation steps" p.Epochs categories.Length)
if categories.Length < 2 then
    Lab.note "one category only: the multi-class protocol equals one-class here, so only one-class runs were made"
if equalSteps && categories.Length < 2 then failwith "--equal-steps needs two or more categories (a multi-class run to match)"

// ---- optional: one-class runs with the multi-class run's number of steps (label "<method> (equal steps)")
let equalStepsLabel m = m + " (equal steps)"
let stepsPerEpoch (d: Workbench.Engine.DataConfig) =
    let n = Workbench.Engine.DataSetup.Load(d, List.head p.Seeds).Train.Count
    float (Workbench.Engine.Trainer.StepsPerEpoch(n, p.BatchSize, p.MaxStepsPerEpoch))
let equalStepsEpochs =
    if not equalSteps then Map.empty
    else
        let pooledSteps = float p.Epochs * stepsPerEpoch (Lab.pooled p categories)
        categories |> List.map (fun c -> c, max p.Epochs (int (round (pooledSteps / stepsPerEpoch (Lab.data p [ c ] "one-class"))))) |> Map.ofList
// A two-phase method's later phase (DSKD's fusion net, DMDD's segmentation net) is lengthened by the
// same factor (MethodConfig.WithScaledTraining), so every phase gets the multi-class run's steps.
let equalStepsConfig m (epochs: int) = (Lab.methodConfig p m []).WithScaledTraining(epochs)
let oneClassEqualSteps =
    if not equalSteps then []
    else
        [ for s in p.Seeds do
            for m in methods do
                for c in categories ->
                    equalStepsLabel m, Lab.train p m (equalStepsConfig m equalStepsEpochs.[c]) (Lab.data p [ c ] "one-class") s ]
if equalSteps then
    Lab.note (sprintf "equal-steps one-class runs: epochs per category %s (multi-class: %d epochs over the pooled data); later phases (fusion, segmentation) scaled alike"
                (equalStepsEpochs |> Map.toList |> List.map (fun (c, e) -> sprintf "%s %d" c e) |> String.concat ", ") p.Epochs)

// ---- raw rows (runs.csv) and the per-seed summary
let rows = Lab.runRows p (oneClass @ multiClass @ oneClassEqualSteps)
let stats = Lab.summarise rows Lab.tableMetrics
let stat label protocol category metric =
    stats |> List.tryFind (fun s -> s.Label = label && s.Protocol = protocol && s.Category = category && s.Metric = metric)

// ---- table: per method × category, one-class | multi-class | drop, for each headline metric
type Row = { Method: string; Category: string; Metric: string; ``One-class``: string; ``Multi-class``: string; ``Multi − one (points)``: string }
let metricName = Lab.metricName
let tableRows =
    [ for m in methods do
        for c in (if categories.Length > 1 then categories @ [ "mean" ] else categories) do
            for metric in Lab.tableMetrics do
                let oc = stat m "one-class" c metric
                let mc = stat m "multi-class" c metric
                let show = Option.map (fun (s: SeedStat) -> s.Display) >> Option.defaultValue "–"
                let drop =
                    match oc, mc with
                    | Some a, Some b when not (System.Double.IsNaN a.Mean || System.Double.IsNaN b.Mean) -> sprintf "%+.1f" (100. * (b.Mean - a.Mean))
                    | _ -> "–"
                yield { Method = m; Category = c; Metric = metricName metric; ``One-class`` = show oc; ``Multi-class`` = show mc; ``Multi − one (points)`` = drop } ]
Lab.table p "table" "One-class vs multi-class: mean ± std over seeds (percent); last column = multi-class − one-class (negative = the multi-class drop the paper reports)." (Frame.ofRecords tableRows)
let meanRows = tableRows |> List.filter (fun r -> r.Category = "mean")
if not meanRows.IsEmpty then
  Lab.table p "table-mean" "One-class vs multi-class, mean over categories: mean ± std over seeds (percent); last column = multi-class − one-class." (Frame.ofRecords meanRows)

// ---- table (--equal-steps): one-class at equal epochs | one-class at equal steps | multi-class, mean over categories
type StepsRow = { Method: string; Metric: string; ``One-class, equal epochs``: string; ``One-class, equal steps``: string
                  ``Multi-class``: string; ``Multi − one, equal steps (points)``: string }
if equalSteps then
    let show = Option.map (fun (s: SeedStat) -> s.Display) >> Option.defaultValue "–"
    let stepsRows =
        [ for m in methods do
            for metric in Lab.tableMetrics ->
                let eq = stat (equalStepsLabel m) "one-class" "mean" metric
                let mc = stat m "multi-class" "mean" metric
                let drop =
                    match eq, mc with
                    | Some a, Some b when not (System.Double.IsNaN a.Mean || System.Double.IsNaN b.Mean) -> sprintf "%+.1f" (100. * (b.Mean - a.Mean))
                    | _ -> "–"
                { Method = m; Metric = metricName metric; ``One-class, equal epochs`` = show (stat m "one-class" "mean" metric)
                  ``One-class, equal steps`` = show eq; ``Multi-class`` = show mc; ``Multi − one, equal steps (points)`` = drop } ]
    let epochsText = equalStepsEpochs |> Map.toList |> List.map snd |> List.distinct |> List.map string |> String.concat "/"
    Lab.table p "table-equal-steps"
        (sprintf "One-class trained for the multi-class run's number of steps (%s epochs per category vs %d) next to equal epochs and multi-class, mean over categories: mean ± std over seeds (percent); last column = multi-class − one-class at equal steps." epochsText p.Epochs)
        (Frame.ofRecords stepsRows)

// ---- claims: multi-class against one-class per method (the drop), SNL against its baseline multi-class,
// and whether SNL's drop is smaller than its baseline's (per seed: multi − one, then the rule over seeds)
let perSeedMean label protocol metric =
    let rs = rows |> List.filter (fun r -> r.Label = label && r.Protocol = protocol)
    let means =
        if protocol = "one-class" then RunTable.MeanOverCategories(rs |> List.filter (fun r -> r.Category <> "mean")) |> List.ofSeq
        else rs |> List.filter (fun r -> r.Category = "mean")
    means |> List.map (fun r -> r.Seed, RunTable.Metric(r, metric)) |> Map.ofList
let dropStat label oneLabel metric =
    let mc, oc = perSeedMean label "multi-class" metric, perSeedMean oneLabel "one-class" metric
    match p.Seeds |> List.filter (fun s -> mc.ContainsKey s && oc.ContainsKey s) with
    | [] -> None
    | seeds -> Some(SeedSummary.OfValues(label, "multi − one", "mean", metric, [| for s in seeds -> mc.[s] - oc.[s] |]))
let snlPairs = [ "snl-fd", "fd"; "snl-rd", "rd" ] |> List.filter (fun (s, b) -> List.contains s methods && List.contains b methods)
if categories.Length >= 2 then
    Lab.claims p "one-class vs multi-class, mean over categories: multi-class against one-class per method (worse = a multi-class drop); SNL against its baseline, multi-class; SNL's drop (multi − one, per seed) against its baseline's drop (better = a smaller drop)"
        [ for metric in Lab.tableMetrics do
            for m in methods do
                yield Lab.claim (sprintf "%s-multi-vs-one-%s" m (Lab.metricId metric)) (m + " multi-class") (m + " one-class") metric (stat m "multi-class" "mean" metric) (stat m "one-class" "mean" metric)
                if equalSteps then
                    yield Lab.claim (sprintf "%s-multi-vs-one-equal-steps-%s" m (Lab.metricId metric)) (m + " multi-class") (equalStepsLabel m + " one-class") metric
                              (stat m "multi-class" "mean" metric) (stat (equalStepsLabel m) "one-class" "mean" metric)
            for snl, b in snlPairs do
                yield Lab.claim (sprintf "%s-vs-%s-multi-%s" snl b (Lab.metricId metric)) (snl + " multi-class") (b + " multi-class") metric (stat snl "multi-class" "mean" metric) (stat b "multi-class" "mean" metric)
                yield Lab.claim (sprintf "%s-drop-vs-%s-drop-%s" snl b (Lab.metricId metric)) (snl + " multi − one") (b + " multi − one") metric (dropStat snl snl metric) (dropStat b b metric)
                if equalSteps then
                    yield Lab.claim (sprintf "%s-drop-vs-%s-drop-equal-steps-%s" snl b (Lab.metricId metric)) (snl + " multi − one (equal steps)") (b + " multi − one (equal steps)") metric
                              (dropStat snl (equalStepsLabel snl) metric) (dropStat b (equalStepsLabel b) metric) ]

// ---- figure: grouped bars (method × protocol) per headline metric, error bars = std over seeds
// bar groups: (name, label of the method's runs, protocol, colour)
let groups =
    [ yield "one-class", id, "one-class", "#4C78A8"
      if equalSteps then yield "one-class, equal steps", equalStepsLabel, "one-class", "#72B7B2"
      if not multiClass.IsEmpty then yield "multi-class", id, "multi-class", "#F58518" ]
let panel (metric: string) (first: bool) =
    let bars = [ for (name, label, protocol, colour) in groups -> name, colour, methods |> List.map (fun m -> stat (label m) protocol "mean" metric) ]
    bars
    |> List.map (fun (name, colour, ss) -> Lab.seedBars name methods ss colour first)
    |> Chart.combine
    |> Chart.withXAxisStyle (TitleText = "method")
    |> Chart.withYAxisStyle (TitleText = sprintf "%s (%%)" (metricName metric), MinMax = Lab.percentRange (bars |> Seq.collect (fun (_, _, ss) -> ss)))
let chart =
    headline |> List.mapi (fun i m -> panel m (i = 0))
    |> Chart.Grid(1, headline.Length)
    |> Chart.withLayoutStyle (BarMode = StyleParam.BarMode.Group)
Lab.figure p "bars" (sprintf "One-class vs multi-class: mean over categories, %s" (Lab.errorBarsText p)) chart 1500 520

Lab.finish p experiment [ "methods", System.String.Join(",", methods); "categories", System.String.Join(",", categories); "equalSteps", string equalSteps ]
