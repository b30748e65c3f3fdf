// Experiment 4a — SNL ablation (issue 10 exp. 4; issue 7): SNL's components added one at a time on
// the FD and the RD baseline, multi-class (one model for all categories). The last step, full SNL with
// default options, and the baselines are the very runs of experiment 1 (same labels and configs), so
// they are trained once for both experiments.
//   dotnet fsi experiments/ablation-snl.fsx [--preset quick|bottle|mvtec2|paper] [--smoke] [--seeds 0,1,2]
#load "Lab.fsx"
open Deedle
open Plotly.NET
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "ablation-snl"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
// smoke: the FD base only (the RD steps run the same code), to stay within CI's time
let bases = Lab.methods p [ "fd"; "rd" ] |> fun bs -> if p.Smoke then List.truncate 1 bs else bs
let categories = Lab.categories p
let headline = [ "ImageAuroc"; "PixelAuroc"; "Aupro" ]
// multi-class as in the paper (and experiment 1); a preset with one category (bottle) can only be one-class
let dataCfg = if categories.Length >= 2 then Lab.pooled p categories else Lab.data p categories "one-class"
if categories.Length < 2 then Lab.note "one category only: the ablation runs one-class (multi-class needs two or more categories)"

/// How a step's model is obtained: its own training run, or the full SNL run evaluated with a
/// map-only option changed (the structural score enters only the anomaly map, not training).
type Source =
    | Train of methodName: string * options: string list
    | MapOnlyOf of fullLabel: string * options: string list

// Cumulative steps (SnlConfig switches). Every SNL step without the structural score sets MapIntraWeight=0.
let steps (b: string) =
    let snl = "snl-" + b
    [ "baseline",             b,                           Train(b, [])
      "+ spatial-channel",    snl + " sc",                 Train(snl, [ "IntraWeight=0"; "InterWeight=0"; "UseCram=false"; "MapIntraWeight=0" ])
      "+ intra-affinity",     snl + " sc+intra",           Train(snl, [ "InterWeight=0"; "UseCram=false"; "MapIntraWeight=0" ])
      "+ inter-affinity",     snl + " sc+intra+inter",     Train(snl, [ "UseCram=false"; "MapIntraWeight=0" ])
      "+ CRAM",               snl + " no structural score", MapOnlyOf(snl, [ "MapIntraWeight=0" ])
      "+ structural score",   snl,                         Train(snl, []) ]   // = full SNL, experiment 1's run
let stepNames = steps "fd" |> List.map (fun (s, _, _) -> s)

// ---- runs, seed-major; a map-only step follows the full run it is read from
let labelled =
    [ for s in p.Seeds do
        for b in bases do
            let trained =
                steps b |> List.choose (fun (_, label, src) ->
                    match src with
                    | Train(m, opts) -> Some(label, Lab.train p label (Lab.methodConfig p m opts) dataCfg s)
                    | MapOnlyOf _ -> None) |> Map.ofList
            for (_, label, src) in steps b do
                match src with
                | Train _ -> yield label, trained.[label]
                | MapOnlyOf(full, opts) -> yield label, Lab.variant p label trained.[full] "no-structural-score" opts ]

// ---- raw rows and per-seed summary of the run's mean over categories
let rows = Lab.runRows p labelled |> List.filter (fun r -> r.Category = "mean")
let stats = SeedSummary.Of(rows, Lab.tableMetrics) |> List.ofSeq
let stat label metric = stats |> List.tryFind (fun s -> s.Label = label && s.Metric = metric)
let show = Option.map (fun (s: SeedStat) -> s.Display) >> Option.defaultValue "–"
let delta label b metric =
    match stat label metric, stat b metric with
    | Some a, Some z when label <> b && not (System.Double.IsNaN a.Mean || System.Double.IsNaN z.Mean) -> sprintf "%+.1f" (100. * (a.Mean - z.Mean))
    | _ when label = b -> "0"
    | _ -> "–"

// ---- table: one row per variant
type Row =
    { Base: string; Step: string; Run: string
      ``Image AUROC``: string; ``Pixel AUROC``: string; AUPRO: string; ``RD4AD PRO``: string
      ``Δ image``: string; ``Δ pixel``: string; ``Δ AUPRO``: string }
let tableRows =
    [ for b in bases do
        for (step, label, _) in steps b ->
            { Base = b.ToUpperInvariant(); Step = step; Run = label
              ``Image AUROC`` = show (stat label "ImageAuroc"); ``Pixel AUROC`` = show (stat label "PixelAuroc"); AUPRO = show (stat label "Aupro"); ``RD4AD PRO`` = show (stat label "Rd4adPro")
              ``Δ image`` = delta label b "ImageAuroc"; ``Δ pixel`` = delta label b "PixelAuroc"; ``Δ AUPRO`` = delta label b "Aupro" } ]
Lab.table p "table"
    (sprintf "SNL components added one at a time (cumulative, top to bottom) on FD and RD, %s; mean over categories, mean ± std over %d seed(s) (percent); Δ = points vs the baseline. \
Every SNL step keeps its baseline's channel-loss form and level combination (FD: STPM loss, product of levels; RD: flattened loss, sum), so each row adds one component. \
'+ CRAM' is the full SNL run's checkpoint with the structural score switched off (MapIntraWeight=0: the score enters only the map); the last row is full SNL with default options (λs = λintra = λinter = 1, CRAM K = 32 centres from k-means of the teacher's training features, temperature calibrated to 1 nat of assignment entropy, map w_intra = 1)."
        dataCfg.Protocol p.Seeds.Length)
    (Frame.ofRecords tableRows)

// ---- claims: each step against the step before it, and full SNL against its baseline
Lab.claims p (sprintf "SNL ablation (%s), mean over categories: each component against the step before it, and full SNL against its baseline" dataCfg.Protocol)
    [ for b in bases do
        let ss = steps b
        for metric in Lab.tableMetrics do
            for ((_, before, _), (step, label, _)) in List.pairwise ss do
                yield Lab.claim (sprintf "%s-%s-%s" b (Lab.idPart step) (Lab.metricId metric)) label before metric (stat label metric) (stat before metric)
            let (_, full, _) = List.last ss
            yield Lab.claim (sprintf "%s-full-snl-vs-baseline-%s" b (Lab.metricId metric)) full b metric (stat full metric) (stat b metric) ]

// ---- figure: per metric, steps on x, one bar per base, error bars = std over seeds
let metricName = function "ImageAuroc" -> "image AUROC" | "PixelAuroc" -> "pixel AUROC" | "Aupro" -> "AUPRO" | m -> m
let panel metric first =
    let bars = [ for b in bases -> b, steps b |> List.map (fun (_, label, _) -> stat label metric) ]
    bars
    |> List.map (fun (b, ss) -> Lab.seedBars (b.ToUpperInvariant() + " base") stepNames ss (if b = "fd" then "#4C78A8" else "#F58518") first)
    |> Chart.combine
    |> Chart.withXAxisStyle (TitleText = "component added (cumulative)")
    |> Chart.withYAxisStyle (TitleText = sprintf "%s (%%)" (metricName metric), MinMax = Lab.percentRange (bars |> Seq.collect snd))
let chart =
    headline |> List.mapi (fun i m -> panel m (i = 0))
    |> Chart.Grid(1, headline.Length)
    |> Chart.withLayoutStyle (BarMode = StyleParam.BarMode.Group)
Lab.figure p "bars" (sprintf "SNL ablation (%s): components added one at a time, %s" dataCfg.Protocol (Lab.errorBarsText p)) chart 1700 560

Lab.finish p experiment [ "bases", System.String.Join(",", bases); "categories", System.String.Join(",", categories); "protocol", dataCfg.Protocol ]
