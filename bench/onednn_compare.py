#!/usr/bin/env python3
"""Per-primitive oneDNN times of the training steps, vbd (libtorch 2.7.1) beside PyTorch (Debian's 1.13), from two
ONEDNN_VERBOSE logs (bench/onednn.sh writes them). Shows which convolutions and reorders each stack runs, with
which implementation, and their median milliseconds; the rest of a step (BatchNorm, ReLU, the optimiser, the
host language) is the step time minus these."""
import collections
import statistics
import sys


def training_calls(path):
    rows = [l.strip().split(",") for l in open(path) if "exec" in l.split(",")]
    bwd = [i for i, p in enumerate(rows) if any(x.startswith("backward") for x in p)]
    out = collections.defaultdict(list)
    for p in rows[bwd[0] - 6: bwd[-1] + 1] if bwd else []:
        i = p.index("exec")
        kind, impl, prop = p[i + 2], p[i + 3], p[i + 4]
        key = (kind, prop if kind != "reorder" else "", p[-2])
        out[key].append((impl, float(p[-1])))
    return out, len(bwd)


def main():
    j, jb = training_calls(sys.argv[1])
    p, pb = training_calls(sys.argv[2])
    js, ps = jb / 12, pb / 12  # twelve backward primitives per step (six convolutions, data and weights)
    print(f"{'primitive':58s} {'vbd impl':>26s} {'ms':>7s} {'PyTorch impl':>26s} {'ms':>7s} {'ratio':>6s}")
    tj = tp = 0.0
    for key in sorted(set(j) | set(p), key=lambda k: -sum(t for _, t in j.get(k, [])) / max(js, 1)):
        a, b = j.get(key, []), p.get(key, [])
        ma = statistics.median(t for _, t in a) if a else 0
        mb = statistics.median(t for _, t in b) if b else 0
        tj += sum(t for _, t in a) / max(js, 1)
        tp += sum(t for _, t in b) / max(ps, 1)
        name = f"{key[0]} {key[1]} {key[2]}"[:58]
        print(f"{name:58s} {a[0][0] if a else '-':>26s} {ma:7.3f} {b[0][0] if b else '-':>26s} {mb:7.3f} "
              f"{(ma / mb if mb else float('nan')):6.2f}")
    print(f"oneDNN time per training step: vbd {tj:.1f} ms, PyTorch {tp:.1f} ms")


if __name__ == "__main__":
    main()
