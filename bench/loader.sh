#!/usr/bin/env bash
# The loader at the paper's settings (dense 32 frames at interval 2, short side 256, random 224 crop, flip) against the
# plainest PyAV loop over the same files (bench/loader_pyav.py: Debian's python3-av and python3-opencv), on x264
# MP4 and Xvid AVI clips it makes (bench/LoaderClips.java), one and two loader threads.
#   bash bench/loader.sh [CLIPS]   (default 48 timed clips per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIPS=${1:-48}
OUT=runs/bench/loader
mkdir -p "$OUT"
./vbd --version >/dev/null
java -cp "target/vbd.jar:target/lib/*" bench/LoaderClips.java "$OUT/clips" 8
for set in x264 xvid; do
  d=$OUT/clips/$set
  py=$(/usr/bin/python3 bench/loader_pyav.py "$d" "$CLIPS" 32 2 256 224)
  echo "$set pyav (1 process): $py"
  for t in 1 2; do
    ./vbd bench loader --data "$d" --type videolist --annotations "$d/train.txt" --test-list "$d/val.txt" \
      --clips "$CLIPS" --threads "$t" --json "$OUT/$set-$t.json" 2>/dev/null | sed "s|^|$set vbd: |"
  done
done
