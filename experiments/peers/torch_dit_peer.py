#!/usr/bin/python3
"""PyTorch peer for `ditvm ablation`: the same DiT variants (experiments/reference/dit_reference.py,
written from dit-spec.md) in eager PyTorch, timed the same way: warm-up, then N timed forward
passes under no_grad; reports the median.

Usage: torch_dit_peer.py --model DiT-S/2 [--image-size 256] [--batch 8] [--variants all|a,b]
                         [--threads 2] [--warmup 2] [--iterations 5] [--device cpu|cuda] [--dtype fp32|bf16]
Prints one JSON document: {"peer", "torch", "threads", "device", "dtype", "rows": [{variant, model, batch,
median_ms, p10_ms, p90_ms, images_per_s}]}. TF32 is off on CUDA (fp32 means fp32).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from dit_reference import VARIANTS, DiT, DiTConfig  # noqa: E402

SIZES = {"S": (12, 384, 6), "B": (12, 768, 12), "L": (24, 1024, 16), "XL": (28, 1152, 16)}


def config(name, image_size):
    size, patch = name.removeprefix("DiT-").split("/")
    depth, hidden, heads = SIZES[size]
    return DiTConfig(depth=depth, hidden=hidden, heads=heads, patch=int(patch), input_size=image_size // 8,
                     in_channels=4, num_classes=1000, learn_sigma=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="DiT-S/2")
    p.add_argument("--image-size", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--variants", default="all")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    dtype = torch.float32 if a.dtype == "fp32" else torch.bfloat16
    variants = VARIANTS if a.variants == "all" else a.variants.split(",")
    cfg = config(a.model, a.image_size)
    g = torch.Generator().manual_seed(0)
    rows = []
    for v in variants:
        model = DiT(cfg, v).to(a.device, dtype).eval()
        x = torch.randn(a.batch, cfg.in_channels, cfg.input_size, cfg.input_size, generator=g).to(a.device, dtype)
        t = torch.randint(0, 1000, (a.batch,), generator=g).to(a.device, dtype)
        y = torch.randint(0, cfg.num_classes, (a.batch,), generator=g).to(a.device)
        times = []
        with torch.no_grad():
            for i in range(a.warmup + a.iterations):
                if a.device.startswith("cuda"):
                    torch.cuda.synchronize()
                t0 = time.perf_counter()
                model(x, t, y)
                if a.device.startswith("cuda"):
                    torch.cuda.synchronize()
                if i >= a.warmup:
                    times.append((time.perf_counter() - t0) * 1e3)
        q = np.quantile(times, [0.1, 0.5, 0.9])
        rows.append({"variant": v, "model": a.model, "batch": a.batch, "median_ms": q[1], "p10_ms": q[0],
                     "p90_ms": q[2], "images_per_s": a.batch / (q[1] / 1e3), "raw_ms": times})
        del model
    print(json.dumps({"peer": "PyTorch eager (experiments/reference/dit_reference.py), no_grad",
                      "torch": torch.__version__, "threads": torch.get_num_threads(), "device": a.device,
                      "dtype": a.dtype, "rows": rows}))


if __name__ == "__main__":
    main()
