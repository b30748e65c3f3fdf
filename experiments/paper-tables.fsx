// Experiment 5 — our numbers next to the papers' published numbers, with the difference, for every
// method and the categories the papers report. Published numbers (with sources) are in
// experiments/published-numbers.csv. Differences are only computed where data, protocol, category
// and metric definition match; every row says how our setting differs (backbone, size, epochs). A
// quick run on synthetic data is never compared: its table lists our numbers only.
// PRO has several definitions that give different numbers (core/Metrics/README.md), so every published
// PRO says which (csv column `definition`, Reporting/PublishedNumbers.cs) and meets only ours of that kind:
//   rd4ad-pro   RD4AD's per-image compute_pro (RD4AD Table 2; DSKD uses RD4AD's code) → our RD4AD PRO
//   mvtec-aupro MVTec AD AUPRO → our AUPRO (no published number of ours uses it yet)
//   ader-pro    the ADer benchmark's cal_pro_score (cflow-ad's: one 200-threshold curve per category, FPR
//               rescaled min–max; zhangzjn/ADer util/metric.py) → none of ours: listed, no Δ
//   unknown     DMDD's PRO/AUPRO: the paper names no implementation and we hold no code → listed, no Δ
//   dotnet fsi experiments/paper-tables.fsx [--preset quick|bottle|mvtec2|paper] [--smoke]
#load "Lab.fsx"
open System
open Deedle
open Workbench.Reporting
open Lab

// ---- configuration
let experiment = "paper-tables"
let p = Lab.preset experiment fsi.CommandLineArgs.[1..]
let methods = Lab.methods p [ "fd"; "rd"; "snl-fd"; "snl-rd"; "dskd"; "dmdd" ]
let categories = Lab.categories p
let headline = Lab.tableMetrics   // image AUROC, pixel AUROC, AUPRO, RD4AD PRO
let dataset = match p.Format with "synthetic" -> "synthetic" | f -> f   // mvtec | mpdd | visa
// SNL is compared with its base (the paper reports gains over distillation baselines, no table we have)
let publishedName = function "snl-fd" | "snl-rd" -> "snl" | m -> m

// ---- published numbers (facts with sources; a PRO with its definition)
let published = PublishedNumbers.Read(IO.Path.Combine(Lab.repoRoot, "experiments", "published-numbers.csv")) |> List.ofSeq
Lab.table p "published" "Published numbers used for comparison (percent), with sources; Definition: which PRO (rd4ad-pro = RD4AD's per-image PRO, mvtec-aupro = MVTec AD AUPRO, ader-pro = ADer's single-curve grid PRO, unknown = not stated)." (Frame.ofRecords published)

// ---- runs: the standard protocol runs (shared with the one-class vs multi-class experiment)
let runs = Lab.protocolRuns p methods categories
let rows = Lab.runRows p (runs |> List.map (fun (_, m, d) -> m, d))
let stats = Lab.summarise rows headline

// ---- comparison: ours (mean ± std over seeds) | published | Δ, where dataset/protocol/category and
// the metric's definition match (PublishedNumbers.Matches); per method, protocol and category, the metrics in
// table order, then any published PRO of a definition we do not compute
type Comparison = { Method: string; Protocol: string; Category: string; Metric: string; Ours: string; Published: string; ``Δ (points)``: string
                    ``Our setting``: string; ``Their setting``: string; Source: string }
let ourSetting = sprintf "%s, %d px, %d epochs, %d seed(s), %d categories" p.Teacher p.ImageSize p.Epochs p.Seeds.Length categories.Length
// with one category the "mean" row repeats it; published means cover whole datasets, so compare per category
let shown (s: SeedStat) =
    if categories.Length = 1 then s.Category <> "mean"
    else s.Category = "mean" || published |> List.exists (fun q -> q.Dataset = dataset && q.Category = s.Category)
let settings =
    stats |> List.filter shown |> List.map (fun s -> s.Label, s.Protocol, s.Category) |> List.distinct
    |> List.sortBy (fun (l, pr, c) -> l, pr, (if c = "mean" then "~" else c))
let row (label, protocol, category) metric ours (q: PublishedNumber option) delta source =
    { Method = label; Protocol = protocol; Category = category; Metric = metric; Ours = ours
      Published = (match q with Some q -> sprintf "%.1f" q.Value | None -> "–"); ``Δ (points)`` = delta; ``Our setting`` = ourSetting
      ``Their setting`` = (match q with Some q -> sprintf "%s, %s px, %s epochs" q.Backbone q.ImageSize q.Epochs | None -> ""); Source = source }
let comparison =
    [ for (label, protocol, category) as setting in settings do
        let method = publishedName label
        for metric in headline do
            let s = stats |> List.find (fun s -> s.Label = label && s.Protocol = protocol && s.Category = category && s.Metric = metric)
            match published |> List.filter (fun q -> PublishedNumbers.Matches(q, method, dataset, protocol, category, metric)) with
            | [] -> yield row setting (Lab.metricName metric) s.Display None "–"
                              (if dataset = "synthetic" then "synthetic data: no published counterpart" else "no published number")
            | qs ->
                // ours NaN: the run did not compute this metric (e.g. RD4AD PRO in a run from before it was recorded)
                for q in qs ->
                    row setting (Lab.metricName metric) s.Display (Some q)
                        (if Double.IsNaN s.Mean then "–" else sprintf "%+.1f" (100. * s.Mean - q.Value)) q.Source
        for q in published do
            if isNull (PublishedNumbers.OurMetric q) && PublishedNumbers.SameSetting(q, method, dataset, protocol, category) then
                yield row setting (sprintf "PRO (%s)" q.Definition) "not computed" (Some q) "–" (q.Source + "; a PRO definition we do not compute: no Δ") ]
let matched = comparison |> List.filter (fun c -> c.``Δ (points)`` <> "–")
if matched.IsEmpty then
    Lab.note (sprintf "no published number matches dataset '%s' with these protocols/categories and metric definitions: the table gives no Δ" dataset)
Lab.table p "comparison" "Ours vs published (percent); Δ = ours − published, only where dataset, protocol, category and metric definition match (a published PRO only against ours of the same definition: RD4AD's PRO vs our RD4AD PRO, MVTec AUPRO vs our AUPRO; other PRO definitions are listed without Δ); settings differ as listed, so Δ is not a like-for-like reproduction unless the settings agree." (Frame.ofRecords comparison)

Lab.finish p experiment [ "methods", String.Join(",", methods); "categories", String.Join(",", categories); "dataset", dataset ]
