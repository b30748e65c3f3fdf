// Experiment 1 — one-class vs multi-class (SNL, Fig. 1): every method trained once per category
// (one-class) and once on all categories pooled (multi-class, no labels); the drop between the two
// is the cost of cross-class interference.
//   dotnet fsi experiments/one-class-vs-multi-class.fsx [--preset quick|bottle|paper] [--smoke]
#load "Lab.fsx"
open Deedle
open Plotly.NET
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "one-class-vs-multi-class"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
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

// ---- raw rows (runs.csv) and the per-seed summary
let rows = Lab.runRows p (oneClass @ multiClass)
let stats = Lab.summarise rows headline
let stat label protocol category metric =
    stats |> List.tryFind (fun s -> s.Label = label && s.Protocol = protocol && s.Category = category && s.Metric = metric)

// ---- table: per method × category, one-class | multi-class | drop, for each headline metric
type Row = { Method: string; Category: string; Metric: string; ``One-class``: string; ``Multi-class``: string; ``Multi − one (points)``: string }
let metricName = Lab.metricName
let tableRows =
    [ for m in methods do
        for c in (if categories.Length > 1 then categories @ [ "mean" ] else categories) do
            for metric in headline do
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

// ---- figure: grouped bars (method × protocol) per headline metric, error bars = std over seeds
let protocols = if multiClass.IsEmpty then [ "one-class" ] else [ "one-class"; "multi-class" ]
let panel (metric: string) (first: bool) =
    [ for protocol in protocols ->
        let ss = methods |> List.map (fun m -> stat m protocol "mean" metric)
        let ys = ss |> List.map (function Some s -> 100. * s.Mean | None -> nan)
        let errs = ss |> List.map (function Some s -> 100. * s.Std | None -> 0.)
        Chart.Column(values = ys, Keys = methods, Name = protocol, ShowLegend = first, MarkerColor = Color.fromString (if protocol = "one-class" then "#4C78A8" else "#F58518"))
        |> Chart.withYErrorStyle (Array = errs) ]
    |> Chart.combine
    |> Chart.withXAxisStyle (TitleText = "method")
    |> Chart.withYAxisStyle (TitleText = sprintf "%s (%%)" (metricName metric))
let chart =
    headline |> List.mapi (fun i m -> panel m (i = 0))
    |> Chart.Grid(1, headline.Length)
    |> Chart.withLayoutStyle (BarMode = StyleParam.BarMode.Group)
Lab.figure p "bars" (sprintf "One-class vs multi-class: mean over categories, error bars = std over %d seed(s)" p.Seeds.Length) chart 1500 520

Lab.finish p experiment [ "methods", System.String.Join(",", methods); "categories", System.String.Join(",", categories) ]
