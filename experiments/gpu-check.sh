#!/usr/bin/env bash
# GPU check (issue 17): in under 5 minutes on one GPU, what the workbench does there, as one Markdown
# file OUT_DIR/gpu-check.md:
#   1. the device and where libtorch came from (`workbench info`),
#   2. `bench train` for every method × {resnet18, wide_resnet50_2} at 256 px (random teachers),
#   3. the metrics benchmark on the device (Evaluate.Run on the device and on the CPU, MVTec-sized set),
#   4. a short RD training + evaluation on one generated synthetic category (256 px);
#   and DMDD's train speed with its synthesis drawn on demand (WORKBENCH_SYNTHESIS_AHEAD=0), to measure
#   what drawing ahead (the default off the CPU) gains.
# Each stage has a time limit (together 5 minutes); a failed or timed-out stage is recorded and the next runs.
#
# usage: experiments/gpu-check.sh OUT_DIR [--device cuda|cuda:N|cpu] [--smoke] [-- extra workbench options]
#   --smoke   tiny sizes, to check the script itself on a CPU (not a measurement)
# The CLI: $WORKBENCH, else ./workbench next to this script (the GPU bundle), else this checkout's build
# (experiments/Workbench.Cli/bin/{Release,Debug}/net10.0/workbench). libtorch: see `workbench --help` (--libtorch).
set -uo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
out=$1; shift
device=cuda
smoke=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=${2:?--device needs a value}; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "gpu-check: unknown option $1" >&2; usage ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${WORKBENCH:-}" ]; then wb=$WORKBENCH
elif [ -x "$here/workbench" ]; then wb=$here/workbench
else
  for c in Release Debug; do
    f=$here/Workbench.Cli/bin/$c/net10.0/workbench
    [ -x "$f" ] && { wb=$f; break; }
  done
fi
[ -n "${wb:-}" ] || { echo "gpu-check: no workbench CLI found (set WORKBENCH, or build: dotnet build -c Release)" >&2; exit 2; }

if [ "$smoke" = 1 ]; then
  teachers=(resnet18); size=64; batch=2; steps=1; maps=48; map_size=64
  synth=(--size 64 --train 8 --test-good 2 --per-defect 2); epochs=1
else
  teachers=(resnet18 wide_resnet50_2); size=256; batch=8; steps=3; maps=1725; map_size=256
  synth=(--size 256); epochs=10
fi
category=washer
mkdir -p "$out"
out=$(cd "$out" && pwd)
report=$out/gpu-check.md
stages=()

# run NAME LIMIT_S COMMAND...: runs one stage with a time limit, its output in OUT/NAME.log.
run() {
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s): $*"
  local t0=$SECONDS
  timeout --kill-after=10 "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  local took=$((SECONDS - t0))
  tail -n 30 "$out/$name.log"
  local status=ok
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && status="timed out"
  [ $rc -ne 0 ] && [ "$status" = ok ] && status="failed (exit $rc)"
  stages+=("| $name | $took | $status |")
  echo "== $name: $status in ${took}s"
}

rm -f "$out/bench-train.md" "$out/bench-dmdd-on-demand.md" "$out/metrics-bench.md"
run info 20 "$wb" info --device "$device" "${extra[@]}"
run bench-train 130 "$wb" bench train --methods all --teachers "${teachers[@]}" --sizes $size --batch-size $batch --steps $steps \
    --out "$out/bench-train.md" --device "$device" "${extra[@]}"
run dmdd-synthesis-on-demand 30 env WORKBENCH_SYNTHESIS_AHEAD=0 "$wb" bench train --methods dmdd --teachers resnet18 --sizes $size \
    --batch-size $batch --steps $steps --out "$out/bench-dmdd-on-demand.md" --device "$device" "${extra[@]}"
run metrics-bench 50 "$wb" metrics bench --maps $maps --size $map_size --out "$out/metrics-bench.md" --device "$device" "${extra[@]}"
rm -rf "$out/synthetic" "$out/rd-synthetic"
run synthetic-data 30 "$wb" data synth --out "$out/synthetic" --category $category "${synth[@]}" "${extra[@]}"
run rd-train 40 "$wb" train --method rd --data-format synthetic --data-root "$out/synthetic" --categories $category \
    --size $size --epochs $epochs --batch-size 16 --teacher resnet18 --teacher-weights random --out "$out/rd-synthetic" \
    --device "$device" "${extra[@]}"

{
  echo "# GPU check, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "\`$wb\`, device \`$device\`$([ "$smoke" = 1 ] && echo ', **smoke sizes: not a measurement**'). Random teachers throughout (speed does not depend on the weights)."
  echo
  echo "| stage | seconds | status |"
  echo "|---|---|---|"
  printf '%s\n' "${stages[@]}"
  echo
  echo "## Device (workbench info)"
  echo
  echo '```'
  cat "$out/info.log"
  echo '```'
  echo
  echo "## bench train ($size px, batch $batch, $steps timed steps after one warm-up; device synchronised before each clock read)"
  if [ -f "$out/bench-train.md" ]; then cat "$out/bench-train.md"; else echo; echo "(no table: see bench-train.log)"; fi
  echo
  echo "DMDD with its synthesis drawn on demand (WORKBENCH_SYNTHESIS_AHEAD=0), to compare with its row above:"
  if [ -f "$out/bench-dmdd-on-demand.md" ]; then grep '^| dmdd' "$out/bench-dmdd-on-demand.md"; else echo; echo "(no row: see dmdd-synthesis-on-demand.log)"; fi
  echo
  echo "## Metrics benchmark"
  echo
  if [ -f "$out/metrics-bench.md" ]; then cat "$out/metrics-bench.md"; else echo "(no table: see metrics-bench.log)"; fi
  echo
  echo "## RD on synthetic '$category' ($size px, $epochs epochs, random ResNet-18 teacher)"
  echo
  if [ -f "$out/rd-synthetic/metrics.csv" ]; then
    echo "| scope | image AUROC | pixel AUROC | AUPRO | train img/s (last epoch) | evaluate s |"
    echo "|---|---|---|---|---|---|"
    ips=$(tail -n 1 "$out/rd-synthetic/history.csv" | awk -F, '{printf "%.1f", $4}')
    eval_s=$(grep -o '"evaluate": *[0-9.]*' "$out/rd-synthetic/manifest.json" | grep -o '[0-9.]*$')
    awk -F, -v ips="$ips" -v ev="${eval_s:-0}" 'NR > 1 && $1 == "mean" { printf "| %s | %.4f | %.4f | %.4f | %s | %.1f |\n", $1, $3, $6, $9, ips, ev }' "$out/rd-synthetic/metrics.csv"
  else
    echo "(no metrics: see rd-train.log)"
  fi
} > "$report"
echo "gpu-check: wrote $report"
