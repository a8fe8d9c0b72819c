#!/usr/bin/python3
"""The plainest Python loader at the same settings, one process: PyAV seeks to the keyframe before a random window,
decodes to the window's end and keeps the sampled frames; OpenCV resizes to the short side; a random crop, a flip
and the normalisation make the float clip. Prints {"clips_per_s": ...} as JSON.
Usage: loader_pyav.py LIST_DIR CLIPS CLIP_LEN INTERVAL SHORT_SIDE CROP"""
import json, random, sys, time
from pathlib import Path

import av
import cv2
import numpy as np

cv2.setNumThreads(1)
root, clips, clip_len, interval, short, crop = Path(sys.argv[1]), *map(int, sys.argv[2:7])
files = [root / l.split()[0] for l in (root / "train.txt").read_text().splitlines() if l.strip()]
mean = np.array([123.675, 116.28, 103.53], np.float32)
std = np.array([58.395, 57.12, 57.375], np.float32)
rng = random.Random(1)
meta = {}
for f in files:  # frame count and timestamps once per file, as a dataset index would hold them
    with av.open(str(f)) as c:
        s = c.streams.video[0]
        meta[f] = (s.frames or sum(1 for _ in c.demux(s) if _.size), s.average_rate, s.time_base)


def clip(f):
    n, rate, tb = meta[f]
    span = clip_len * interval
    start = rng.randrange(max(1, n - span + 1))
    want = {start + i * interval for i in range(clip_len)}
    out = []
    with av.open(str(f)) as c:
        s = c.streams.video[0]
        s.thread_type = "SLICE"
        s.thread_count = 1
        c.seek(int(start / rate / tb), stream=s, backward=True, any_frame=False)
        for fr in c.decode(s):
            i = int(round(float(fr.pts * tb * rate))) if fr.pts is not None else None
            if i is None or i < start:
                continue
            if i in want:
                img = fr.to_ndarray(format="rgb24")
                h, w = img.shape[:2]
                k = short / min(h, w)
                out.append(cv2.resize(img, (round(w * k), round(h * k)), interpolation=cv2.INTER_LINEAR))
            if i >= max(want) or len(out) == clip_len:
                break
    x = np.stack(out)
    h, w = x.shape[1:3]
    y0, x0 = rng.randrange(h - crop + 1), rng.randrange(w - crop + 1)
    x = x[:, y0:y0 + crop, x0:x0 + crop]
    if rng.random() < 0.5:
        x = x[:, :, ::-1]
    return ((x.astype(np.float32) - mean) / std).transpose(3, 0, 1, 2)


for i in range(min(8, clips)):
    clip(files[i % len(files)])
t0 = time.perf_counter()
for i in range(clips):
    clip(files[rng.randrange(len(files))])
secs = time.perf_counter() - t0
print(json.dumps({"clips_per_s": clips / secs, "clips": clips, "seconds": secs}))
