#!/usr/bin/env python3
"""The operators `vbd bench ops --json F` timed, timed again in PyTorch (Debian's python3-torch), from F's layer
list: same shapes, same backward formulation (sum(y * g) with a fixed random g; the input needs a gradient except
for the first layer), best of three rounds. Prints the same JSON layout with PyTorch's times."""
import argparse, json, os, time
import torch
import torch.nn.functional as F


def per_call(reps, fn):
    for _ in range(3):
        fn()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) * 1000 / reps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec", help="JSON written by vbd bench ops --json")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--reps", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    spec = json.load(open(a.spec))
    rows = []
    for l in spec["ops"]:
        x = torch.randn(*l["input"], requires_grad=l["input_grad"])
        if l["op"] == "conv3d":
            w = (torch.randn(l["filters"], l["input"][1], *l["kernel"]) * 0.1).requires_grad_(True)
            f = lambda t, w=w, l=l: F.conv3d(t, w, None, l["stride"], l["padding"])
        elif l["op"] == "batchnorm":
            c = l["input"][1]
            gamma, beta = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
            mean, var = torch.zeros(c), torch.ones(c)
            f = lambda t, gamma=gamma, beta=beta, mean=mean, var=var: F.batch_norm(t, mean, var, gamma, beta, True, 0.1, 1e-5)
        else:
            f = F.relu
        with torch.no_grad():
            g = torch.randn_like(f(x))
        fwd = both = float("inf")
        for _ in range(3):
            with torch.no_grad():
                fwd = min(fwd, per_call(a.reps, lambda: f(x)))
            both = min(both, per_call(a.reps, lambda: (f(x) * g).sum().backward()))
        row = dict(l)
        row.update(forward_ms=fwd, backward_ms=max(0.0, both - fwd))
        rows.append(row)
    print(json.dumps({"stack": "torch-" + torch.__version__, "threads": a.threads, "ops": rows}))


if __name__ == "__main__":
    main()
