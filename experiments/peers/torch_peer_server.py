#!/usr/bin/python3
"""The PyTorch (Debian python3-torch) peer of ditvm's harness, driven over stdin/stdout so that its
forward passes interleave with ditvm's and the other peers' in one run (PyTorchPeer.java).

Usage: torch_peer_server.py FOLDER --threads N
Loads the model in FOLDER (peer_model.py), prints `ready <torch version> <threads>`, then per line:
  run          one forward pass under no_grad; prints `ms <wall milliseconds of the forward pass>`
  output PATH  writes the last output as safetensors (key `out`, F32); prints `ok`
  quit         exits
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_model  # noqa: E402  (imports torch)


def main():
    folder, threads = sys.argv[1], int(sys.argv[sys.argv.index("--threads") + 1])
    import torch
    torch.set_num_threads(threads)
    model, x, t, y, _ = peer_model.load(folder)
    out = None
    print(f"ready {torch.__version__} {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        cmd = line.strip().split(" ", 1)
        if cmd[0] == "run":
            with torch.no_grad():
                t0 = time.perf_counter()
                out = model(x, t, y)
                ms = (time.perf_counter() - t0) * 1e3
            print(f"ms {ms!r}", flush=True)
        elif cmd[0] == "output":
            peer_model.safetensors_io.save(cmd[1], {"out": (out.numpy(), "F32")})
            print("ok", flush=True)
        elif cmd[0] == "quit":
            return
        else:
            raise SystemExit(f"torch_peer_server: unknown command {line.strip()!r}")


if __name__ == "__main__":
    main()
