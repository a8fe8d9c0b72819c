#!/usr/bin/env bash
# Operator by operator, Java (vbd bench ops, libtorch through DJL) against PyTorch (bench/pytorch_ops.py) on the
# default network's layers at their training shapes: where bench/run.sh says one stack trains slower, this says which
# kernels are. THREADS (default: all cores) sets both stacks' intra-op threads.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/bench
py=python3; python3 -c 'import torch' 2>/dev/null || py=/usr/bin/python3
threads="${THREADS:-$(nproc)}"
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=8589934592 MALLOC_TOP_PAD_=268435456
VBD_THREADS="$threads" ./vbd bench ops --json runs/bench/ops-java.json >/dev/null 2>&1
$py bench/pytorch_ops.py --threads "$threads" runs/bench/ops-java.json > runs/bench/ops-pytorch.json
$py - <<'PY'
import json
J = json.load(open("runs/bench/ops-java.json")); P = json.load(open("runs/bench/ops-pytorch.json"))
print(f"{J['stack']} vs {P['stack']}, {J['threads']} thread(s); milliseconds per call, ratio = Java / PyTorch")
print(f"{'#':>2} {'op':<9} {'input':<22} {'fwd J':>7} {'fwd P':>7} {'ratio':>6} {'bwd J':>7} {'bwd P':>7} {'ratio':>6}")
tj = tp = 0.0
for j, p in zip(J["ops"], P["ops"]):
    tj += j["forward_ms"] + j["backward_ms"]; tp += p["forward_ms"] + p["backward_ms"]
    r = lambda a, b: f"{a / b:6.2f}" if b > 0 else "     -"
    print(f"{j['index']:>2} {j['op']:<9} {'x'.join(map(str, j['input'])):<22} {j['forward_ms']:7.2f} {p['forward_ms']:7.2f} "
          f"{r(j['forward_ms'], p['forward_ms'])} {j['backward_ms']:7.2f} {p['backward_ms']:7.2f} {r(j['backward_ms'], p['backward_ms'])}")
print(f"all operators, forward + backward: Java {tj:.1f} ms, PyTorch {tp:.1f} ms, ratio {tj / tp:.2f}")
PY
