#!/usr/bin/env bash
# The synthetic benchmark's split 1 as MMAction2 rawframes, then the grid that trains on both (see rawframes.yaml).
set -euo pipefail
cd "$(dirname "$0")/../.."
./vbd generate synthetic --out data/synthetic
./vbd extract --data data/synthetic --type ucf101 --split 1 --out data/synthetic-rawframes
./vbd run experiments/paper-cpu/rawframes.yaml
./vbd results --where grid=rawframes
