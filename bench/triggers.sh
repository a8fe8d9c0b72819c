#!/usr/bin/env bash
# vbd's triggers (vbd bench triggers) beside the numpy/OpenCV reference (bench/triggers_numpy.py), one run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs/bench
py=/usr/bin/python3
if ! $py -c 'import cv2, numpy' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-opencv python3-numpy >/dev/null; else echo "install python3-opencv" >&2; exit 1; fi
fi
./vbd bench triggers --json runs/bench/triggers-java.json
$py bench/triggers_numpy.py | tee runs/bench/triggers-numpy.json
$py - <<'PY'
import json
j = json.load(open("runs/bench/triggers-java.json")); p = json.load(open("runs/bench/triggers-numpy.json"))
print(f"{'trigger':22s} {'vbd 1 thr':>10s} {'vbd all':>10s} {'numpy':>10s} {'ratio 1thr':>10s} {'ratio all':>10s}")
for k, v in j.items():
    ref = p.get(k.split('/')[0]) if k.endswith('/static') else None
    r1 = f"{v['one_thread']/ref:10.1f}" if ref else f"{'-':>10s}"
    ra = f"{v['all_cores']/ref:10.1f}" if ref else f"{'-':>10s}"
    print(f"{k:22s} {v['one_thread']:10.0f} {v['all_cores']:10.0f} {ref if ref else 0:10.0f} {r1} {ra}")
PY
