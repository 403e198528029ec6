"""Writes the sampler fixtures: respacing tables and full sampling runs of the tiny random-weight
models of make_fixtures.py, from given noise, in float64 (sampler_reference.py).

Run from the repository root with Debian's Python (torch 1.13, numpy), after make_fixtures.py:
    /usr/bin/python3 experiments/reference/make_sampler_fixtures.py
Deterministic: rerunning gives byte-identical files.
"""

import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dit_reference import DiT, DiTConfig  # noqa: E402
import safetensors_io  # noqa: E402
from sampler_reference import Schedule, sample  # noqa: E402

FIXTURES = "model/src/test/resources/fixtures"
OUT = os.path.join(FIXTURES, "sampler")
SCHEDULE_STEPS = (1, 10, 25, 250, 1000)

# name -> weights fixture, sampler, steps, eta, cfg scale, guided channels ("all" = out channels), clip, classes, seed
RUNS = {
    "ddpm-cfg": ("adaln-zero", "ddpm", 10, 0.0, 4.0, 3, False, [3, 7], 1301),
    "ddim-cfg-all": ("adaln-zero", "ddim", 12, 0.0, 4.0, "all", False, [1, 9], 1302),
    "ddim-eta-clip": ("adaln-zero", "ddim", 6, 1.0, 1.0, 3, True, [0, 5], 1303),
    "ddpm-fixed-large": ("adaln", "ddpm", 10, 0.0, 4.0, 3, False, [2, 8], 1304),
}


def load_model(name):
    tensors, _, meta = safetensors_io.load(os.path.join(FIXTURES, f"{name}-weights.safetensors"))
    c = json.loads(meta["config"])
    cfg = DiTConfig(depth=c["depth"], hidden=c["hidden"], heads=c["heads"], patch=c["patch"], input_size=c["input_size"],
                    in_channels=c["in_channels"], num_classes=c["num_classes"], learn_sigma=c["learn_sigma"],
                    mlp_ratio=c["mlp_ratio"])
    model = DiT(cfg, meta["variant"])
    model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items()})
    return model.double().eval(), cfg


def write_schedules():
    tensors = {}
    for n in SCHEDULE_STEPS:
        s = Schedule(n)
        tensors[f"timesteps_{n}"] = (np.array(s.timesteps, dtype=np.int64), "I64")
        for key in ("betas", "posterior_log_variance_clipped", "fixed_large_log_variance", "coef1", "coef2"):
            tensors[f"{key}_{n}"] = (getattr(s, key), "F64")
    safetensors_io.save(os.path.join(OUT, "schedules.safetensors"), tensors,
                        metadata={"steps": ",".join(map(str, SCHEDULE_STEPS)),
                                  "reference": "experiments/reference/sampler_reference.py Schedule, float64"})


def main():
    os.makedirs(OUT, exist_ok=True)
    write_schedules()
    for name, (weights, sampler, steps, eta, scale, guided, clip, classes, seed) in RUNS.items():
        model, cfg = load_model(weights)
        g = torch.Generator().manual_seed(seed)
        n, C, I = len(classes), cfg.in_channels, cfg.input_size
        x_T = torch.randn(n, C, I, I, generator=g)  # float32
        z = torch.randn(steps, n, C, I, I, generator=g)
        guided_channels = cfg.out_channels if guided == "all" else guided
        y = torch.tensor(classes, dtype=torch.int64)
        out = sample(model, Schedule(steps), x_T, z, y, scale, guided_channels, sampler, eta, clip)
        safetensors_io.save(os.path.join(OUT, f"{name}.safetensors"), {
            "x_T": (x_T.numpy(), "F32"), "z": (z.numpy(), "F32"), "samples": (out.float().numpy(), "F32"),
        }, metadata={"weights": f"{weights}-weights.safetensors", "sampler": sampler, "steps": steps, "eta": eta,
                     "cfg_scale": scale, "guided_channels": guided, "clip_denoised": str(clip).lower(),
                     "classes": ",".join(map(str, classes)), "max_abs_samples": float(out.abs().max()),
                     "reference": "float64 sampling (sampler_reference.py) of the float32 weights and noise, stored F32"})
        print(f"{name}: max|samples| = {float(out.abs().max()):.4f}")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
