#!/usr/bin/env python3
"""Convert an MMAction2 checkpoint (.pth) to safetensors, keys and shapes unchanged, for `model.pretrained`.

A .pth file is a Python pickle, and loading a pickle can run code: the toolkit never does. Run this once, with
PyTorch, on a checkpoint you trust (it loads with weights_only=True where PyTorch supports it):

    python3 tools/pth2safetensors.py i3d_r50_32x2x1_100e_kinetics400_rgb.pth i3d_r50.safetensors

The output holds every tensor of the checkpoint's state_dict as little-endian float32 (the safetensors layout:
an 8-byte header length, a JSON header of dtype, shape and byte range per key, then the data). No package beyond
torch is needed.
"""
import json
import struct
import sys

import torch


def main(src, dst):
    try:
        ckpt = torch.load(src, map_location="cpu", weights_only=True)
    except TypeError:  # PyTorch older than 1.13 has no weights_only
        ckpt = torch.load(src, map_location="cpu")
    state = ckpt.get("state_dict", ckpt) if isinstance(ckpt, dict) else ckpt
    header, blobs, offset = {}, [], 0
    for key, value in state.items():
        if not torch.is_tensor(value) or not value.is_floating_point():
            continue  # num_batches_tracked and other integer counters carry no weights
        data = value.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    with open(dst, "wb") as out:
        out.write(struct.pack("<Q", len(head)))
        out.write(head)
        for b in blobs:
            out.write(b)
    print(f"{dst}: {len(header)} tensors, {offset} bytes of float32")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pth2safetensors.py CHECKPOINT.pth OUT.safetensors")
    main(sys.argv[1], sys.argv[2])
