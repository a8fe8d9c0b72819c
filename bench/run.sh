#!/usr/bin/env bash
# Java (vbd bench) and PyTorch (bench/pytorch_bench.py) on the same network and batch shape, in one run.
# Needs Debian's python3-torch for the reference (installed here if missing and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/bench
if ! python3 -c 'import torch' 2>/dev/null && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-torch >/dev/null; else echo "install python3-torch for the PyTorch reference" >&2; fi
fi
py=python3; python3 -c 'import torch' 2>/dev/null || py=/usr/bin/python3
./vbd bench --json runs/bench/java.json
threads=$(nproc)
# the same glibc malloc settings as ./vbd, so both stacks run under equal conditions
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=8589934592 MALLOC_TOP_PAD_=268435456 \
  $py bench/pytorch_bench.py --threads "$threads" | tee runs/bench/pytorch.json
$py - <<'PY'
import json
j = json.load(open("runs/bench/java.json")); p = json.load(open("runs/bench/pytorch.json"))
print(f"train: vbd {j['train_clips_per_s']:.1f} clips/s vs PyTorch {p['train_clips_per_s']:.1f} -> ratio {j['train_clips_per_s']/p['train_clips_per_s']:.2f}")
print(f"eval:  vbd {j['eval_clips_per_s']:.1f} clips/s vs PyTorch {p['eval_clips_per_s']:.1f} -> ratio {j['eval_clips_per_s']/p['eval_clips_per_s']:.2f}")
print(f"loader, cold (decoding every clip): {j['loader_clips_per_s']:.1f} clips/s = {j['loader_cold_over_train']:.2f}x the training rate")
print(f"loader, cached (default pipeline):  {j['loader_cached_clips_per_s']:.1f} clips/s = {j['loader_cached_over_train']:.2f}x the training rate")
PY
