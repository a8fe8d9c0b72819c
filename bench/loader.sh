#!/usr/bin/env bash
# The loader at the paper's settings (dense 32 frames at interval 2, short side 256, random 224 crop, flip) against the
# plainest PyAV loop over the same files (bench/loader_pyav.py: Debian's python3-av and python3-opencv), on x264
# MP4 and Xvid AVI clips it makes (bench/LoaderClips.java), one and two loader threads, and the machine's ceiling: two
# independent one-thread processes at once, their clips/s summed. Each vbd line also gives FFmpeg's bare decode of
# such windows (the floor).
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
  run() { ./vbd bench loader --data "$d" --type videolist --annotations "$d/train.txt" --test-list "$d/val.txt" \
      --clips "$CLIPS" --threads "$1" --json "$2" 2>/dev/null; }
  for t in 1 2; do
    run "$t" "$OUT/$set-$t.json" | sed "s|^|$set vbd: |"
  done
# the x264 set as MMAction2 rawframes (JPEG at qscale 2, stored size), through the same pipeline; the floor line is
# FFmpeg's bare decode of the JPEG files a clip needs
r=$OUT/clips/x264-rawframes
./vbd extract --data "$OUT/clips/x264" --type videolist --annotations "$OUT/clips/x264/train.txt" \
    --test-list "$OUT/clips/x264/val.txt" --out "$r" >/dev/null 2>&1
for t in 1 2; do
  ./vbd bench loader --data "$r" --type rawframes --annotations "$r/rawframes_train.txt" --test-list "$r/rawframes_test.txt" \
      --clips "$CLIPS" --threads "$t" --json "$OUT/rawframes-$t.json" 2>/dev/null | sed "s|^|x264 rawframes vbd: |"
done
  run 1 "$OUT/$set-p1.json" >/dev/null & run 1 "$OUT/$set-p2.json" >/dev/null; wait
  /usr/bin/python3 - "$OUT/$set" <<'PY'
import json, sys
b = sys.argv[1]
one, two = (json.load(open(f"{b}-{t}.json"))["clips_per_s"] for t in (1, 2))
ceil = sum(json.load(open(f"{b}-p{k}.json"))["clips_per_s"] for k in (1, 2))
print(f"{b.split('/')[-1]}: 2 threads {two:.2f} clips/s = {two / ceil:.2f}x the two-process ceiling ({ceil:.2f}); 1 thread {one:.2f}")
PY
done
# the x264 set as MMAction2 rawframes (JPEG at qscale 2, stored size), through the same pipeline; the floor line is
# FFmpeg's bare decode of the JPEG files a clip needs
r=$OUT/clips/x264-rawframes
./vbd extract --data "$OUT/clips/x264" --type videolist --annotations "$OUT/clips/x264/train.txt" \
    --test-list "$OUT/clips/x264/val.txt" --out "$r" >/dev/null 2>&1
for t in 1 2; do
  ./vbd bench loader --data "$r" --type rawframes --annotations "$r/rawframes_train.txt" --test-list "$r/rawframes_test.txt" \
      --clips "$CLIPS" --threads "$t" --json "$OUT/rawframes-$t.json" 2>/dev/null | sed "s|^|x264 rawframes vbd: |"
done
