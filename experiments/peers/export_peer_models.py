#!/usr/bin/python3
"""Exports the model in FOLDER (see peer_model.py) for ditvm's peers, with Debian's python3-torch:
model.onnx (opset 16: torch 1.13 exports opset 17 LayerNormalization without affine wrongly) and model.pt (TorchScript trace, for libtorch through DJL).
Each file is written under a temporary name and renamed, so a cached file is always whole.

Usage: export_peer_models.py FOLDER [--onnx] [--torchscript]
"""
import argparse
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_model  # noqa: E402  (imports torch)
import torch  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--onnx", action="store_true")
    p.add_argument("--torchscript", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model, x, t, y, _ = peer_model.load(a.folder)
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    with torch.no_grad():
        if a.onnx:
            path = os.path.join(a.folder, "model.onnx")
            torch.onnx.export(model, (x, t, y), path + ".tmp", input_names=["x", "t", "y"], output_names=["out"],
                              opset_version=16, do_constant_folding=True)
            os.replace(path + ".tmp", path)
        if a.torchscript:
            path = os.path.join(a.folder, "model.pt")
            traced = torch.jit.trace(model, (x, t, y), check_trace=False)
            traced.save(path + ".tmp")
            os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
