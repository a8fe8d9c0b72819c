#!/usr/bin/env bash
# i3d-r50 training steps at the paper's settings (dense 32 frames at interval 2, short side 256, random 224 crop,
# flip), fed by the real loader from x264 High-profile 340x256 clips it makes (as Kinetics ships), nothing cached:
# clips/s and the loader's share of each step, on one GPU and on every GPU of the machine (data-parallel), with
# 4 loader threads per GPU. On a machine without a GPU it says so and times two CPU steps of a small network instead.
#   bash bench/gpu.sh [STEPS]   (default 20 timed steps after 3 of warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-20}
OUT=runs/bench/gpu
mkdir -p "$OUT"
./vbd --version >/dev/null
java -cp "target/vbd.jar:target/lib/*" bench/LoaderClips.java "$OUT/clips" 16 >/dev/null
d=$OUT/clips/x264
gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || true
steps() { ./vbd bench steps --data "$d" --type videolist --annotations "$d/train.txt" --test-list "$d/val.txt" "$@" 2>/dev/null; }
if [ "${gpus:-0}" -eq 0 ]; then
  echo "no GPU on this machine: two CPU steps of tiny-r2plus1d at 16 frames, 112 crop, as a check that the path runs"
  steps --model tiny-r2plus1d --clip-len 16 --short-side 128 --crop 112 --batch-size 4 --threads 1 --steps 2 --warmup 1 \
      --json "$OUT/cpu.json"
  exit 0
fi
steps --model i3d-r50 --devices 1 --batch-size 8 --threads 4 --steps "$STEPS" --json "$OUT/gpu1.json"
if [ "$gpus" -gt 1 ]; then
  steps --model i3d-r50 --devices 0 --batch-size $((8 * gpus)) --threads $((4 * gpus)) --steps "$STEPS" --json "$OUT/gpu-all.json"
fi
