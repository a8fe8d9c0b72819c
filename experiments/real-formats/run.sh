#!/usr/bin/env bash
# The metadata audit against matched poisoning on the formats real datasets ship in (docs/results/real-formats.md).
# Usage: [DATA=data/synthetic] experiments/real-formats/run.sh [OUT] [OLD_VBD]
#   OUT      work folder (default runs/real-formats)
#   OLD_VBD  optional: another checkout's ./vbd (e.g. one built with -Plgpl, or before matched x264 encoding), whose
#            poisoned copies the same audit (this checkout's) then judges
# Fixed before it runs: the embedded benchmark (data/synthetic), BadNet static at rate 0.1, target 0, seed 1.
set -euo pipefail
OUT=${1:-runs/real-formats}
OLD=${2:-}
DATA=${DATA:-data/synthetic}
[ -f "$DATA/synthetic.json" ] || ./vbd generate synthetic --out "$DATA"
mkdir -p "$OUT"
if [ ! -f "$OUT/kinetics-x264/annotations.csv" ]; then
  java -cp "target/vbd.jar:target/lib/*" experiments/real-formats/Transcode.java "$DATA" "$OUT"
fi
audit() { # name dir
  ./vbd forensics "$2" --manifest "$2/manifest.csv" 2>/dev/null | grep -E "elimination|sacrifice" | sed "s|^|$1: |"
}
for set in synthetic kinetics-x264 ucf-xvid; do
  src=$OUT/$set; type=ucf101
  [ "$set" = synthetic ] && src=$DATA
  [ "$set" = kinetics-x264 ] && type=kinetics
  for enc in match toolkit; do
    dst=$OUT/poisoned-$set-$enc
    /usr/bin/time -f "%e s" -o "$dst.time" ./vbd poison --data "$src" --type "$type" --attack badnet --rate 0.1 \
      --target 0 --seed 1 --encoding "$enc" --out "$dst" --force --baseline > "$dst.log" 2>&1 || { cat "$dst.log"; exit 1; }
    audit "$set $enc ($(cat "$dst.time"))" "$dst"
    grep -E "frames/s|baseline" "$dst.log" | sed "s|^|  |" || true
  done
  if [ -n "$OLD" ]; then
    dst=$OUT/poisoned-$set-old
    (cd "$(dirname "$OLD")" && ./vbd poison --data "$(realpath "$src")" --type "$type" --attack badnet --rate 0.1 \
      --target 0 --seed 1 --out "$(realpath -m "$dst")" --force) > "$dst.log" 2>&1 || { cat "$dst.log"; exit 1; }
    audit "$set old checkout" "$dst"
  fi
done
