#!/usr/bin/env bash
# The audio front end: vbd's log-mel (JTransforms, one thread) against the same transform in vectorised numpy (one
# thread), on 10 s of 16 kHz audio. Needs python3 with numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/bench
./vbd bench logmel --seconds "${SECONDS_EACH:-3}" --json runs/bench/logmel-java.json 2>/dev/null
python3 bench/logmel_numpy.py "${SECONDS_EACH:-3}" > runs/bench/logmel-numpy.json
python3 - <<'PY'
import json
j = json.load(open("runs/bench/logmel-java.json"))["logmel_per_s_1thread"]
p = json.load(open("runs/bench/logmel-numpy.json"))["logmel_per_s_1thread"]
print(f"log-mel, 10 s at 16 kHz, one thread: vbd {j:.1f}/s vs numpy {p:.1f}/s -> {j/p:.2f}x")
PY
