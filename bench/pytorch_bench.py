#!/usr/bin/env python3
"""The default vbd network (tiny-r2plus1d, width 16, 8 classes) in PyTorch, on the same batch shape, so the
ratio of the Java stack to the Python one is measured in one run (bench/run.sh). With --spec FILE (the JSON of
`vbd models --spec NAME --classes 8`), the paper network it describes (i3d, tsm or slowfast, any width), built
from that one layer description; its parameter count must equal the toolkit's, or the script stops.

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


def conv(cin, cout, kt, k, st, s):
    return nn.Conv3d(cin, cout, (kt, k, k), (st, s, s), (kt // 2, k // 2, k // 2), bias=False)


class Shift(nn.Module):
    """TSM: the first C/div channels from the next frame, the next C/div from the previous one (vbd's TemporalShift)."""
    def __init__(self, div):
        super().__init__()
        self.div = div

    def forward(self, x):
        c, t = x.shape[1], x.shape[2]
        f = c // self.div
        if t < 2 or f == 0:
            return x
        out = torch.zeros_like(x)
        out[:, :f, :-1] = x[:, :f, 1:]
        out[:, f:2 * f, 1:] = x[:, f:2 * f, :-1]
        out[:, 2 * f:] = x[:, 2 * f:]
        return out


class Bottleneck(nn.Module):
    def __init__(self, cin, planes, stride, inflate, shift_div):
        super().__init__()
        out = 4 * planes
        layers = [Shift(shift_div)] if shift_div > 0 else []
        layers += [conv(cin, planes, 3 if inflate else 1, 1, 1, 1), nn.BatchNorm3d(planes), nn.ReLU(inplace=True),
                   conv(planes, planes, 1, 3, 1, stride), nn.BatchNorm3d(planes), nn.ReLU(inplace=True),
                   conv(planes, out, 1, 1, 1, 1), nn.BatchNorm3d(out)]
        self.branch = nn.Sequential(*layers)
        self.stride = stride
        self.down = None
        if cin != out or stride != 1:
            self.down = nn.Sequential(conv(cin, out, 1, 1, 1, 1), nn.BatchNorm3d(out))

    def forward(self, x):
        y = self.branch(x)
        if self.down is None:
            return torch.relu(y + x)
        return torch.relu(y + self.down(x[:, :, :, ::self.stride, ::self.stride]))


class Pathway:
    """vbd's ResNet3d record: stem and four stages of bottlenecks, laterals' extra input channels per stage."""
    def __init__(self, p):
        self.p = p
        b = p["base"]
        self.stem = nn.Sequential(conv(3, b, p["conv1Kt"], 7, p["conv1St"], 2), nn.BatchNorm3d(b), nn.ReLU(inplace=True),
                                  nn.MaxPool3d((1, 3, 3), (p["pool1St"], 2, 2), (0, 1, 1)))
        self.stages = []
        lat = p.get("lateralIn") or [0] * len(p["blocks"])
        for i, n in enumerate(p["blocks"]):
            cin = (b if i == 0 else b * (1 << (i - 1)) * 4) + lat[i]
            planes = b * (1 << i)
            infl = p["inflate"][min(i, len(p["inflate"]) - 1)]
            blocks = [Bottleneck(cin if j == 0 else 4 * planes, planes, (1 if i == 0 else 2) if j == 0 else 1,
                                 infl[min(j, len(infl) - 1)], p["shiftDiv"]) for j in range(n)]
            if i == 0 and p["pool2"]:
                blocks.append(nn.MaxPool3d((2, 1, 1), (2, 1, 1)))
            self.stages.append(nn.Sequential(*blocks))
        self.out = b * 8 * 4


class SpecNet(nn.Module):
    def __init__(self, j):
        super().__init__()
        s = j["spec"]
        self.slow = Pathway(s["pathway"])
        self.stem = self.slow.stem
        self.stages = nn.ModuleList(self.slow.stages)
        feat = self.slow.out
        self.fast = None
        if s["family"] == "slowfast":
            self.fast = Pathway(s["fast"])
            self.fstem = self.fast.stem
            self.fstages = nn.ModuleList(self.fast.stages)
            fb, k, a = s["fast"]["base"], s["fusionKernel"], s["alpha"]
            self.laterals = nn.ModuleList(
                nn.Conv3d(c, 2 * c, (k, 1, 1), (a, 1, 1), ((k - 1) // 2, 0, 0), bias=False)
                for c in [fb] + [fb * (1 << i) * 4 for i in range(len(s["fast"]["blocks"]) - 1)])
            self.resample, self.fast_step = s["resample"], max(1, s["resample"] // a)
            feat += self.fast.out
        self.drop = nn.Dropout(j["dropout"])
        self.head = nn.Linear(feat, j["classes"])

    def forward(self, x):
        if self.fast is None:
            f = self.stem(x)
            for st in self.stages:
                f = st(f)
            feats = f.mean((2, 3, 4))
        else:
            s, f = self.stem(x[:, :, ::self.resample]), self.fstem(x[:, :, ::self.fast_step])
            for st, fst, lat in zip(self.stages, self.fstages, self.laterals):
                s = st(torch.cat([s, lat(f)], 1))
                f = fst(f)
            feats = torch.cat([s.mean((2, 3, 4)), f.mean((2, 3, 4))], 1)
        return self.head(self.drop(feats))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--batch", type=int, nargs=5, default=[16, 3, 16, 48, 48])
    ap.add_argument("--spec", help="JSON of `vbd models --spec NAME --classes 8`: time that network instead")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    name, params = "tiny-r2plus1d", None
    if a.spec:
        j = json.load(open(a.spec))
        net, name = SpecNet(j), j["name"]
        a.batch[2] = j["clip"][1]
        params = sum(p.numel() for p in net.parameters())
        if params != j["parameters"]:
            raise SystemExit(f"{a.spec}: the PyTorch network has {params} parameters, vbd's {j['parameters']}: not the same network")
    else:
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
    print(json.dumps({"torch": torch.__version__, "model": name, "parameters": params, "threads": a.threads, "train_clips_per_s": train,
                      "eval_clips_per_s": ev}))


if __name__ == "__main__":
    main()
