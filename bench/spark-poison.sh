#!/usr/bin/env bash
# The same poisoning job on the single-JVM path and on Spark: vbd poison of the embedded benchmark (every
# non-target training video poisoned, plus the triggered test copies) with --engine local --threads 1 and 2, and
# --engine spark --master local[1] and local[2]. Each run writes a fresh output folder; wall time of the whole
# command (Spark's start-up included). Prints the speed-ups the scale-out issue names.
#   bench/spark-poison.sh            (DATA=data/synthetic RATE=1.0 ATTACK=badnet ROUNDS=1)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${DATA:-data/synthetic}"
rate="${RATE:-1.0}"
attack="${ATTACK:-badnet}"
rounds="${ROUNDS:-1}"
out="runs/bench/spark-poison"
[ -d "$data" ] || ./vbd generate synthetic --out "$data" >/dev/null
./vbd poison --help >/dev/null 2>&1 # build once, outside the timings
mkdir -p "$out"
declare -A best
for r in $(seq 1 "$rounds"); do
  for eng in "local 1" "local 2" "spark local[1]" "spark local[2]"; do
    set -- $eng
    name="$1-$2"; args=(--engine "$1"); [ "$1" = local ] && args+=(--threads "$2") || args+=(--master "$2")
    rm -rf "$out/$name"
    s=$(date +%s.%N)
    ./vbd poison --data "$data" --attack "$attack" --rate "$rate" --seed 1 --out "$out/$name" "${args[@]}" \
      > "$out/$name.log" 2>&1
    t=$(awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN{printf "%.2f", a-b}')
    echo "round $r  $name  $(printf '%.1f' "$t") s  ($(grep -m1 '^poisoned' "$out/$name.log"))"
    if [ -z "${best[$name]:-}" ] || awk -v a="$t" -v b="${best[$name]}" 'BEGIN{exit !(a<b)}'; then best[$name]=$t; fi
  done
done
ref="$out/local-1"
for name in local-2 spark-local[1] spark-local[2]; do
  if diff -rq "$ref" "$out/$name" --exclude=.vbd-journal >/dev/null; then same=identical; else same=DIFFERENT; fi
  echo "$name output vs local-1: $same"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo "spark local[2] / local[1] speed-up: $(ratio "${best[spark-local[1]]}" "${best[spark-local[2]]}") (issue: >= 1.7)"
echo "spark local[2] / local 2 threads:   $(ratio "${best[local-2]}" "${best[spark-local[2]]}") (issue: >= 0.9)"
echo "local 2 threads / 1 thread:         $(ratio "${best[local-1]}" "${best[local-2]}")"
