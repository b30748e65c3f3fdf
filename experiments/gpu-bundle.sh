#!/usr/bin/env bash
# Builds the portable GPU bundle: one archive holding the workbench CLI (Release, framework-dependent,
# without libtorch), the .NET runtime it needs, and a launcher. On a Linux GPU server with PyTorch
# and nothing else:
#     tar xf workbench-gpu-linux-x64.tar.xz && ./workbench info --device cuda
#     ./gpu-check.sh gpu-check-out/        (experiments/gpu-check.sh: a 5-minute check, Markdown report)
# libtorch then comes from the PyTorch `python3` imports ($WORKBENCH_PYTHON picks another interpreter),
# or from --libtorch DIR / $WORKBENCH_LIBTORCH (see README.md, "GPU").
#
# usage: experiments/gpu-bundle.sh [OUT_ARCHIVE]     (default: dist/workbench-gpu-linux-x64.tar.xz)
# Needs the .NET 10 SDK and xz. Prints the archive's size; fails above 40 MB.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/dist/workbench-gpu-linux-x64.tar.xz}
limit_mb=40
case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) echo "gpu-bundle: unsupported machine $(uname -m)" >&2; exit 1 ;; esac

# The shared runtime of the installed SDK that matches the target framework (net10.0).
read -r fx_version fx_dir < <(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { v = $2; d = $3 } END { gsub(/[][]/, "", d); print v, d }')
if [ -z "${fx_version:-}" ]; then echo "gpu-bundle: no Microsoft.NETCore.App 10.x in 'dotnet --list-runtimes'" >&2; exit 1; fi
dotnet_root=$(cd "$fx_dir/../.." && pwd)
for need in "$dotnet_root/dotnet" "$dotnet_root/host/fxr/$fx_version" "$fx_dir/$fx_version"; do
  [ -e "$need" ] || { echo "gpu-bundle: $need missing (from 'dotnet --list-runtimes')" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
bundle=$stage/workbench.bundle

# Built under $stage (--artifacts-path): the checkout's own bin/obj stay as they are.
# No libtorch in the output (-p:LibTorchNatives=exclude); the shim's GLIBCXX fix applied whatever this
# machine has (-p:TorchNativeWeakAlways=true); invariant globalization so the server needs no libicu.
nice -n 10 dotnet publish "$repo/experiments/Workbench.Cli" -c Release --nologo -v quiet \
  -p:LibTorchNatives=exclude -p:TorchNativeWeakAlways=true -p:InvariantGlobalization=true \
  -p:DebugType=none -p:GenerateDocumentationFile=false --artifacts-path "$stage/artifacts" -o "$bundle/app"
if find "$bundle/app" -name 'libtorch*.so' | grep -q .; then echo "gpu-bundle: libtorch was published; LibTorchNatives=exclude had no effect" >&2; exit 1; fi
[ -f "$bundle/app/runtimes/$rid/native/libLibTorchSharp.so" ] || { echo "gpu-bundle: libLibTorchSharp.so missing from the publish" >&2; exit 1; }

mkdir -p "$bundle/dotnet/host/fxr" "$bundle/dotnet/shared/Microsoft.NETCore.App"
cp "$dotnet_root/dotnet" "$bundle/dotnet/"
cp -r "$dotnet_root/host/fxr/$fx_version" "$bundle/dotnet/host/fxr/"
cp -r "$fx_dir/$fx_version" "$bundle/dotnet/shared/Microsoft.NETCore.App/"
for f in LICENSE.txt ThirdPartyNotices.txt; do [ -f "$dotnet_root/$f" ] && cp "$dotnet_root/$f" "$bundle/dotnet/"; done

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat > "$bundle/README.txt" <<EOF
workbench GPU bundle (commit $commit, .NET $fx_version, TorchSharp without libtorch, $rid).
Run ./workbench from the folder this archive was extracted into. libtorch is taken from, in order:
--libtorch DIR, \$WORKBENCH_LIBTORCH, the PyTorch that \${WORKBENCH_PYTHON:-python3} imports (torch/lib).
'./workbench info' says which libtorch was loaded, its version, and warns when it is not the 2.10 TorchSharp 0.107 was built for.
EOF

cat > "$stage/workbench" <<'EOF'
#!/bin/sh
# Launcher of the workbench GPU bundle: the bundled .NET runtime runs the CLI. The CLI loads libtorch
# from --libtorch DIR, $WORKBENCH_LIBTORCH, or the PyTorch that ${WORKBENCH_PYTHON:-python3} imports.
# A folder named here also goes on LD_LIBRARY_PATH, as in the first run on a GPU (issue 17).
here=$(cd "$(dirname "$0")" && pwd)
lib=${WORKBENCH_LIBTORCH:-}
prev=""
for a in "$@"; do
  case "$a" in --libtorch=*) lib=${a#--libtorch=} ;; esac
  [ "$prev" = "--libtorch" ] && lib=$a
  prev=$a
done
if [ -n "$lib" ] && [ -d "$lib" ]; then
  [ ! -e "$lib/libtorch_cpu.so" ] && [ -d "$lib/lib" ] && lib="$lib/lib"
  export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export DOTNET_ROOT="$here/workbench.bundle/dotnet"
exec "$DOTNET_ROOT/dotnet" "$here/workbench.bundle/app/workbench.dll" "$@"
EOF
chmod +x "$stage/workbench"

cp "$repo/experiments/gpu-check.sh" "$stage/gpu-check.sh"   # finds ./workbench next to it

mkdir -p "$(dirname "$out")"
tar -C "$stage" -cf - workbench gpu-check.sh workbench.bundle | nice -n 10 xz -9 -T0 > "$out.tmp"
mv "$out.tmp" "$out"
bytes=$(stat -c %s "$out")
echo "gpu-bundle: $out, $((bytes / 1048576)) MB ($bytes bytes): CLI $(du -sm "$bundle/app" | cut -f1) MB + .NET $fx_version $(du -sm "$bundle/dotnet" | cut -f1) MB unpacked"
if [ "$bytes" -gt $((limit_mb * 1048576)) ]; then echo "gpu-bundle: larger than $limit_mb MB" >&2; exit 1; fi
