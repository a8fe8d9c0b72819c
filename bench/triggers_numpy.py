#!/usr/bin/env python3
"""The same triggers as vbd's, written the way a Python researcher would (numpy vectorised, OpenCV for remap,
DCT and filtering), one thread, on a 32x224x224x3 uint8 clip. Prints JSON {trigger: frames/s}.
Reference for `vbd bench triggers` (bench/triggers.sh prints the ratios)."""
import json, time
import numpy as np
import cv2

cv2.setNumThreads(1)
T, H, W = 32, 224, 224
rng = np.random.default_rng(1)
clip = rng.integers(0, 256, (T, H, W, 3), dtype=np.uint8)


def badnet(x):
    y = x.copy(); s = 22
    y[:, H - s - 1:H - 1, (W - s) // 2:(W - s) // 2 + s] = 255
    return y


K = rng.integers(0, 256, (H, W, 3)).astype(np.float32)
def blend(x):
    return np.clip(0.8 * x.astype(np.float32) + 0.2 * K + 0.5, 0, 255).astype(np.uint8)


SIG = (40 * np.sin(2 * np.pi * np.arange(W) * 6 / W)).astype(np.float32)[None, None, :, None]
def sig(x):
    return np.clip(x.astype(np.float32) + SIG + 0.5, 0, 255).astype(np.uint8)


noise = rng.uniform(-1, 1, (4, 4, 2)).astype(np.float32); noise /= np.mean(np.abs(noise))
up = cv2.resize(noise, (W, H), interpolation=cv2.INTER_CUBIC)
mx = (np.arange(W)[None, :] + 0.5 * up[..., 0] * (W - 1) / (2 * H)).astype(np.float32)
my = (np.arange(H)[:, None] + 0.5 * up[..., 1] * (H - 1) / (2 * H)).astype(np.float32)
def wanet(x):
    return np.stack([cv2.remap(f, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE) for f in x])


def ftrojan(x, win=32, mag=30.0):
    out = np.empty_like(x)
    for t in range(x.shape[0]):
        ycc = cv2.cvtColor(x[t], cv2.COLOR_RGB2YCrCb).astype(np.float32)
        for ch in (1, 2):
            for by in range(0, H - win + 1, win):
                for bx in range(0, W - win + 1, win):
                    blk = cv2.dct(ycc[by:by + win, bx:bx + win, ch])
                    blk[15, 15] += mag; blk[31, 31] += mag
                    ycc[by:by + win, bx:bx + win, ch] = cv2.idct(blk)
        out[t] = cv2.cvtColor(np.clip(ycc + 0.5, 0, 255).astype(np.uint8), cv2.COLOR_YCrCb2RGB)
    return out


def framelag(x, lag=2):
    idx = np.arange(x.shape[0]); return x[idx - idx % lag]


L = 45  # vbd's default at 224 px: a fifth of the short side, made odd
kern = np.zeros((L, L), np.float32); kern[L // 2, :] = 1.0 / L
def motionblur(x):
    return np.stack([cv2.filter2D(f, -1, kern, borderType=cv2.BORDER_REPLICATE) for f in x])


def rate(fn, seconds=1.5):
    fn(clip)
    n = 0; t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn(clip); n += T
    return n / (time.perf_counter() - t0)


res = {name: rate(fn) for name, fn in [("badnet", badnet), ("blend", blend), ("sig", sig), ("wanet", wanet),
                                       ("ftrojan", ftrojan), ("framelag", framelag), ("motionblur", motionblur)]}
print(json.dumps(res))
