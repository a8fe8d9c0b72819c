#!/usr/bin/env python3
"""The default vbd network (tiny-r2plus1d, width 16, 8 classes) in PyTorch, on the same batch shape, so the
ratio of the Java stack to the Python one is measured in one run (bench/run.sh).

Prints JSON: train_clips_per_s (Adam step, training mode) and eval_clips_per_s (eval mode, no_grad,
softmax), for the thread count given (default: all cores, as vbd uses)."""
import argparse, json, os, time
import torch
import torch.nn as nn


def stage(cin, cout, tstride):
    return [nn.Conv3d(cin, cout, (1, 3, 3), (1, 2, 2), (0, 1, 1), bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True),
            nn.Conv3d(cout, cout, (3, 1, 1), (tstride, 1, 1), (1, 0, 0), bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True)]


class TinyR2Plus1D(nn.Module):
    def __init__(self, w=16, classes=8, dropout=0.2):
        super().__init__()
        self.backbone = nn.Sequential(*stage(3, w, 1), *stage(w, 2 * w, 2), *stage(2 * w, 4 * w, 1))
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(4 * w, classes)

    def forward(self, x):
        f = self.pool(self.backbone(x)).flatten(1)
        return self.head(self.drop(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--batch", type=int, nargs=5, default=[16, 3, 16, 48, 48])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = TinyR2Plus1D()
    opt = torch.optim.Adam(net.parameters(), lr=0.003, weight_decay=1e-4)
    # eight distinct batches in turn, as vbd bench cycles through eight loaded batches: one batch reused every
    # step would stay warm in the CPU's caches (7 MB per batch), which no real data loop does
    xs = [torch.randn(*a.batch) for _ in range(8)]
    ys = [torch.randint(0, 8, (a.batch[0],)) for _ in range(8)]
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    for i in range(5 + a.steps):
        if i == 5:
            t0 = time.perf_counter()
        x, y = xs[i % 8], ys[i % 8]
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    train = a.steps * a.batch[0] / (time.perf_counter() - t0)
    net.eval()
    with torch.no_grad():
        for i in range(5 + a.steps):
            if i == 5:
                t0 = time.perf_counter()
            net(xs[i % 8]).softmax(1).numpy()
    ev = a.steps * a.batch[0] / (time.perf_counter() - t0)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "train_clips_per_s": train,
                      "eval_clips_per_s": ev}))


if __name__ == "__main__":
    main()
