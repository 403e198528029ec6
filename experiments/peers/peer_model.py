"""The model a peer runs, read from the folder ditvm's harness writes (PeerModelFiles.java):
model.json (variant, config, batch), weights.safetensors (ditvm's weights, official names) and
inputs.safetensors (x [B, C, I, I] F32, t [B] F32, y [B] I64). The network is the project's
PyTorch reference, experiments/reference/dit_reference.py, so every peer runs the same model.
"""
import json
import os
import sys


def use_best_openblas_kernels():
    """As scripts/openblas-env.sh: the peer runs OpenBLAS's best kernels for this CPU. Debian's
    OpenBLAS 0.3.21 falls back to weaker kernels on CPUs it does not know; where the CPU has AVX-512,
    SkylakeX, elsewhere its own detection. An inherited OPENBLAS_CORETYPE is not taken (this
    project's machines export Haswell to every process); PEER_OPENBLAS_CORETYPE chooses one.
    Runs before torch loads OpenBLAS, when this module is imported."""
    os.environ.pop("OPENBLAS_CORETYPE", None)
    if os.environ.get("PEER_OPENBLAS_CORETYPE"):
        os.environ["OPENBLAS_CORETYPE"] = os.environ["PEER_OPENBLAS_CORETYPE"]
        return
    try:
        with open("/proc/cpuinfo") as f:
            if " avx512f" in f.read():
                os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    except OSError:
        pass


use_best_openblas_kernels()
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from dit_reference import DiT, DiTConfig  # noqa: E402
import safetensors_io  # noqa: E402


def load(folder):
    """Returns (model in float32 eval mode, x, t, y, description dict)."""
    with open(os.path.join(folder, "model.json")) as f:
        spec = json.load(f)
    cfg = DiTConfig(depth=spec["depth"], hidden=spec["hidden"], heads=spec["heads"], patch=spec["patch"],
                    input_size=spec["input_size"], in_channels=spec["in_channels"], num_classes=spec["num_classes"],
                    learn_sigma=spec["learn_sigma"], mlp_ratio=spec["mlp_ratio"])
    model = DiT(cfg, spec["variant"]).float().eval()
    weights, _, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    state = {k: torch.from_numpy(v.copy()) for k, v in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{folder}/weights.safetensors does not match the reference {spec['variant']}: "
                         f"missing {missing}, unexpected {unexpected}")
    inputs, _, _ = safetensors_io.load(os.path.join(folder, "inputs.safetensors"))
    x = torch.from_numpy(inputs["x"].copy())
    t = torch.from_numpy(inputs["t"].copy())
    y = torch.from_numpy(inputs["y"].copy()).long()
    if x.shape[0] != spec["batch"]:
        raise SystemExit(f"{folder}: inputs hold batch {x.shape[0]}, model.json says {spec['batch']}")
    return model, x, t, y, spec
