// DMDD eval-time variants, centre/edge profile and map gallery for a trained checkpoint.
// dotnet fsi experiments/dmdd-report.fsx <checkpoint.zip> <data-root> <size> <out-dir> [sigma|-] [format] [protocol]
// e.g. dotnet fsi experiments/dmdd-report.fsx runs/dmdd-syn64-e4/checkpoint.zip runs/data/synthetic-64 64 results/dmdd/report
#load "Prelude.fsx"
open Workbench.Engine

let args = fsi.CommandLineArgs |> Array.skip 1
if args.Length < 4 then failwith "usage: dmdd-report.fsx <checkpoint.zip> <data-root> <size> <out-dir> [sigma|-] [format=synthetic] [protocol=multi-class]"
let sigma = if args.Length > 4 && args.[4] <> "-" then System.Nullable(float args.[4]) else System.Nullable()
let format = if args.Length > 5 then args.[5] else "synthetic"
let protocol = if args.Length > 6 then args.[6] else "multi-class"
let data = DataConfig(format, args.[1], [||], protocol, int args.[2])
Workbench.Reporting.DmddReport.Run(args.[0], data, args.[3], sigma)
printfn "dmdd report → %s" args.[3]
