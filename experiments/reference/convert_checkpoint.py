"""Converts an official DiT checkpoint (.pt) to safetensors with the official key names, F32.

    /usr/bin/python3 experiments/reference/convert_checkpoint.py DiT-XL-2-256x256.pt DiT-XL-2-256x256.safetensors

Accepts the released checkpoints (a plain state_dict) and training checkpoints (the "ema" weights
are taken, as sample.py does). The file then loads with `bin/ditvm sample|forward --weights FILE`.
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: convert_checkpoint.py IN.pt OUT.safetensors")
    state = torch.load(sys.argv[1], map_location="cpu")
    if isinstance(state, dict) and "ema" in state:
        state = state["ema"]
    tensors = {k: (v.detach().float().numpy().astype(np.float32), "F32") for k, v in state.items()}
    safetensors_io.save(sys.argv[2], tensors, metadata={"converted_from": os.path.basename(sys.argv[1])})
    print(f"wrote {len(tensors)} tensors to {sys.argv[2]}")


if __name__ == "__main__":
    main()
