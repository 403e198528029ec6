#!/usr/bin/python3
"""OpenBLAS sgemm peer for `ditvm bench gemm`: times out = A @ W.T (+ bias) in float32 via numpy.

Usage: sgemm_peer.py M N K [--iterations 10] [--warmup 3]
Prints one JSON document: {"peer", "blas", "threads", "shape", "median_s", "p10_s", "p90_s", "gflops"}.
gflops is achieved GFLOP/s = 2*M*N*K / median_s / 1e9, the convention `ditvm bench` uses.
Run it with Debian's /usr/bin/python3 (numpy linked to libopenblas0-pthread).
"""
import argparse
import json
import os
import time

import numpy as np


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.25
        return cfg["Build Dependencies"]["blas"]["name"]
    except TypeError:
        info = np.__config__.get_info("blas_opt_info") or np.__config__.get_info("openblas_info")
        return ",".join(info.get("libraries", [])) or "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("m", type=int)
    p.add_argument("n", type=int)
    p.add_argument("k", type=int)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    rng = np.random.default_rng(0)
    A = rng.uniform(-1, 1, (a.m, a.k)).astype(np.float32)
    W = rng.uniform(-1, 1, (a.n, a.k)).astype(np.float32)
    out = np.empty((a.m, a.n), dtype=np.float32)
    for _ in range(a.warmup):
        np.matmul(A, W.T, out=out)
    times = []
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        np.matmul(A, W.T, out=out)
        times.append(time.perf_counter() - t0)
    q = np.quantile(times, [0.1, 0.5, 0.9])
    print(json.dumps({
        "peer": "numpy.matmul float32 (sgemm)",
        "blas": blas_name(),
        "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "shape": {"m": a.m, "n": a.n, "k": a.k},
        "median_s": q[1], "p10_s": q[0], "p90_s": q[2],
        "gflops": 2.0 * a.m * a.n * a.k / q[1] / 1e9,
    }))


if __name__ == "__main__":
    main()
