#!/usr/bin/env bash
# The synthetic benchmark's split 1 as MMAction2 rawframes (JPEG at the stored size, and lossless PNG at the
# pipeline's size), then the grids that train on them beside the videos (see rawframes.yaml, rawframes-png.yaml).
set -euo pipefail
cd "$(dirname "$0")/../.."
./vbd generate synthetic --out data/synthetic
./vbd extract --data data/synthetic --type ucf101 --split 1 --out data/synthetic-rawframes
./vbd extract --data data/synthetic --type ucf101 --split 1 --out data/synthetic-rawframes-png --short-side 48 \
    --out-tmpl 'img_{:05}.png'
./vbd run experiments/paper-cpu/rawframes.yaml
./vbd run experiments/paper-cpu/rawframes-png.yaml
./vbd results --where grid=rawframes
./vbd results --where grid=rawframes-png
