#!/usr/bin/env bash
# Where the training-speed gap to PyTorch lies: oneDNN's own log of every convolution and reorder, vbd's libtorch
# 2.7.1 beside Debian's PyTorch 1.13, on the same network and batch (bench/onednn_compare.py reads both logs).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/bench
py=python3; python3 -c 'import torch' 2>/dev/null || py=/usr/bin/python3
ONEDNN_VERBOSE=1 ./vbd bench --steps 20 2>/dev/null | grep onednn_verbose > runs/bench/onednn-vbd.log || true
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=8589934592 MALLOC_TOP_PAD_=268435456 \
  ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 $py bench/pytorch_bench.py --threads "$(nproc)" --steps 20 | grep _verbose > runs/bench/onednn-pytorch.log || true
$py bench/onednn_compare.py runs/bench/onednn-vbd.log runs/bench/onednn-pytorch.log
