#!/usr/bin/env bash
# Offline-written against online-poisoned (issue 19): for each of the thirteen visual and natural attacks, one model
# trained with the trigger stamped inside the pipeline (online, as the paper does) and one trained on the poisoned
# copy that `vbd poison` writes as real files (offline: matched to the sources' codec and bitrate, then decoded
# again), same seed, same poisoned videos, same settings. ASR offline is measured on the written triggered test
# copies (vbd-lists/test-poisoned.txt), online on the test videos triggered in the pipeline.
# Resumable: a finished step is skipped. Prints one CSV row per attack and writes $OUT/offline.csv.
#   bash experiments/paper-cpu/offline.sh     # Tables 1-3's settings (60 epochs, batches of 16): about an hour on 2 cores
#   SIDES=offline bash experiments/paper-cpu/offline.sh   # the offline side only (the online side is Tables 1-3's cells)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-data/synthetic}
TYPE=${TYPE:-ucf101}   # the dataset's layout (e.g. kinetics for the x264 copy of experiments/real-formats)
OUT=${OUT:-runs/offline}
EPOCHS=${EPOCHS:-60}
BATCH=${BATCH:-16}
SIDES=${SIDES:-"offline online"}
FACTOR=${FACTOR:-1.0}
ATTACKS=${ATTACKS:-"badnet:static badnet:dynamic blend:static blend:dynamic sig:static sig:dynamic wanet:static wanet:dynamic ftrojan:static ftrojan:dynamic framelag:static corruption:static motionblur:static"}
mkdir -p "$OUT/cfg"
[ -d "$DATA" ] || ./vbd generate synthetic --out "$DATA"
field() { sed -n "s/.*\"$1\" *: *\([0-9.Ee-]*\).*/\1/p" "$2" | head -1; }
echo "attack,extension,online_cda,online_asr,offline_cda,offline_asr" > "$OUT/offline.csv.part"
# an entry is name:extension or name:extension:key=value (one trigger parameter, e.g. framelag:static:lag=3)
parse() { n=${1%%:*}; rest=${1#*:}; e=${rest%%:*}; kv=""; [ "$rest" != "$e" ] && kv=${rest#*:}
  id=$n-$e${kv:+-${kv/=/}}; yparams=""; pparam=()
  if [ -n "$kv" ]; then yparams=", params: {${kv%%=*}: ${kv#*=}}"; pparam=(--param "$kv"); fi; }
for side in $SIDES; do
for a in $ATTACKS; do
  parse "$a"
  if [ "$side" = online ]; then
    printf 'name: %s-online\nseed: 1\ndataset: {type: %s, root: %s}\ntrain: {epochs: %s, batchSize: %s}\nattack: {name: %s, extension: %s, rate: 0.1, target: 0%s}\n' \
      "$id" "$TYPE" "$DATA" "$EPOCHS" "$BATCH" "$n" "$e" "$yparams" > "$OUT/cfg/$id-online.yaml"
    [ -f "$OUT/runs/$id-online/summary.json" ] || ./vbd train "$OUT/cfg/$id-online.yaml" --runs "$OUT/runs" --resume
  else
    [ -f "$OUT/data/$id/poison.json" ] || ./vbd poison --data "$DATA" --type "$TYPE" --attack "$n" --extension "$e" "${pparam[@]}" --rate 0.1 --target 0 \
        --seed 1 --bitrate-factor "$FACTOR" --out "$OUT/data/$id"
    printf 'name: %s-offline\nseed: 1\ndataset: {type: %s, root: %s}\ntrain: {epochs: %s, batchSize: %s}\n' \
      "$id" "$TYPE" "$OUT/data/$id" "$EPOCHS" "$BATCH" > "$OUT/cfg/$id-offline.yaml"
    [ -f "$OUT/runs/$id-offline/summary.json" ] || ./vbd train "$OUT/cfg/$id-offline.yaml" --runs "$OUT/runs" --resume
    [ -f "$OUT/runs/$id-offline/offline-asr.json" ] || ./vbd eval --run "$OUT/runs/$id-offline" \
        --asr-list vbd-lists/test-poisoned.txt --target 0 --json "$OUT/runs/$id-offline/offline-asr.json"
  fi
done
done
for a in $ATTACKS; do
  parse "$a"
  on="$OUT/runs/$id-online/summary.json"; off="$OUT/runs/$id-offline/offline-asr.json"
  row="$n${kv:+ $kv},$e,$([ -f "$on" ] && field cda_top1 "$on"),$([ -f "$on" ] && field asr "$on"),$([ -f "$off" ] && field cda_top1 "$off"),$([ -f "$off" ] && field asr "$off")"
  echo "$row"
  echo "$row" >> "$OUT/offline.csv.part"
done
mv "$OUT/offline.csv.part" "$OUT/offline.csv"
echo "wrote $OUT/offline.csv"
