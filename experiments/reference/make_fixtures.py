"""Writes the DiT test fixtures: weights and input/expected-output safetensors per variant.

Run from the repository root with Debian's Python (torch 1.13, numpy):
    /usr/bin/python3 experiments/reference/make_fixtures.py
See experiments/reference/README.md for what each file holds.
"""

import argparse
import json
import os
import sys
from dataclasses import asdict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dit_reference import DiT, DiTConfig  # noqa: E402
import safetensors_io  # noqa: E402

COMMAND = "/usr/bin/python3 experiments/reference/make_fixtures.py"
DEFAULT_OUT = "model/src/test/resources/fixtures"
BATCH = 3
CFG_SCALE = 4.0
CFG_GUIDED = 3
WEIGHT_STD = 0.1

# name -> (variant, config, seed, t). One config per variant, varied on purpose: an odd
# token count (T = 9, with in-context T + 2 = 11), learn_sigma false, a patch of 4, depth 3.
FIXTURES = {
    "adaln-zero": ("adaln-zero", DiTConfig(depth=2, hidden=24, heads=3, patch=2, input_size=8), 101,
                   [3.5, 500.0, 999.0]),
    "adaln": ("adaln", DiTConfig(depth=2, hidden=24, heads=3, patch=2, input_size=8, learn_sigma=False), 202,
              [0.0, 250.75, 999.0]),
    "in-context": ("in-context", DiTConfig(depth=2, hidden=24, heads=3, patch=2, input_size=6), 303,
                   [3.5, 500.0, 999.0]),
    "cross-attention": ("cross-attention", DiTConfig(depth=3, hidden=32, heads=4, patch=4, input_size=12), 404,
                        [1.25, 640.5, 999.0]),
}


def randomize(model, generator):
    """Every parameter non-zero, including the ones the official init zeroes (zeros would hide
    bugs): N(0, 0.1), LayerNorm weights 1 + N(0, 0.1). The fixed pos_embed is left alone."""
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name == "pos_embed":
                continue
            noise = torch.randn(p.shape, generator=generator, dtype=torch.float32) * WEIGHT_STD
            is_norm_weight = ".norm" in name and name.endswith(".weight")
            p.copy_(1.0 + noise if is_norm_weight else noise)


def make_inputs(cfg, generator, t):
    x = torch.randn(BATCH, cfg.in_channels, cfg.input_size, cfg.input_size, generator=generator)  # float32
    y = torch.tensor([3, cfg.num_classes, 7], dtype=torch.int64)  # the middle one is the null class
    return x, torch.tensor(t, dtype=torch.float32), y


def state_dict_f32(model):
    return {k: (v.detach().float().numpy(), "F32") for k, v in model.state_dict().items()}


def describe(name, variant, cfg, seed, t, y, init):
    return {"name": name, "variant": variant, "init": init, "seed": seed,
            "weights": f"{name}-weights.safetensors", "io": f"{name}-io.safetensors",
            "config": dict(asdict(cfg), out_channels=cfg.out_channels, tokens=cfg.tokens),
            "batch": BATCH, "t": [float(v) for v in t], "y": [int(v) for v in y],
            "cfg_scale": CFG_SCALE, "cfg_guided_channels": CFG_GUIDED,
            "cfg_all_guided_channels": cfg.out_channels}


def run_reference(model, x, t, y, cfg):
    """Float64 forward passes of the float32 weights and inputs."""
    model = model.double().eval()
    with torch.no_grad():
        out = model(x.double(), t, y)
        cfg_out = model.forward_with_cfg(x.double(), t, y, CFG_SCALE, CFG_GUIDED)
        cfg_all = model.forward_with_cfg(x.double(), t, y, CFG_SCALE, cfg.out_channels)
    return out, cfg_out, cfg_all


def write_io(path, x, t, y, out, cfg_out, cfg_all, entry):
    safetensors_io.save(path, {
        "x": (x.numpy(), "F32"), "t": (t.numpy(), "F32"), "y": (y.numpy(), "I64"),
        "out": (out.float().numpy(), "F32"), "cfg_out": (cfg_out.float().numpy(), "F32"),
        "cfg_out_all": (cfg_all.float().numpy(), "F32"),
    }, metadata={"variant": entry["variant"], "cfg_scale": CFG_SCALE, "cfg_guided_channels": CFG_GUIDED,
                 "cfg_out_all_guided_channels": entry["cfg_all_guided_channels"],
                 "reference": "float64 forward of the float32 weights and inputs, stored as F32"})


def check_identity_blocks(model, x, t, y):
    """At the official init every adaLN-Zero block maps its input to itself, exactly."""
    model = model.double().eval()
    diffs = []
    with torch.no_grad():
        h, t_emb, y_emb = model.embed(x.double(), t, y)
        c = t_emb + y_emb
        for block in model.blocks:
            nxt = block(h, c)
            diffs.append(float((nxt - h).abs().max()))
            h = nxt
        out = model(x.double(), t, y)
    return diffs, float(out.abs().max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = {
        "command": COMMAND + ("" if args.out == DEFAULT_OUT else f" --out {args.out}"),
        "generator": "experiments/reference/make_fixtures.py (reference: experiments/reference/dit_reference.py)",
        "torch_version": torch.__version__, "numpy_version": np.__version__,
        "reference": "outputs are float64 forward passes (model.double()) of the stored float32 weights and "
                     "inputs, cast to F32; weights use the official state_dict names",
        "variants": ["adaln-zero", "adaln", "in-context", "cross-attention"],
        "cfg": "forward_with_cfg(x, t, y, scale, guided_channels): one 2B batch [x;x], [t;t], [y;null]; the first "
               "guided_channels channels are uncond + scale*(cond - uncond), the rest the conditional output; "
               "result [B, out_channels, I, I]",
        "fixtures": [],
    }

    for name, (variant, cfg, seed, t_values) in FIXTURES.items():
        gen = torch.Generator().manual_seed(seed)
        model = DiT(cfg, variant)
        randomize(model, gen)
        x, t, y = make_inputs(cfg, gen, t_values)
        entry = describe(name, variant, cfg, seed, t, y, f"random: N(0, {WEIGHT_STD}) every parameter, "
                                                          f"LayerNorm weights 1 + N(0, {WEIGHT_STD})")
        weights = state_dict_f32(model)
        safetensors_io.save(os.path.join(args.out, entry["weights"]), weights,
                            metadata={"variant": variant, "config": json.dumps(entry["config"], sort_keys=True)})
        out, cfg_out, cfg_all = run_reference(model, x, t, y, cfg)
        write_io(os.path.join(args.out, entry["io"]), x, t, y, out, cfg_out, cfg_all, entry)
        entry["max_abs_out"] = float(out.abs().max())
        entry["max_abs_cfg_out"] = float(cfg_out.abs().max())
        entry["max_abs_cfg_out_all"] = float(cfg_all.abs().max())
        manifest["fixtures"].append(entry)

        if name == "adaln-zero":
            for dtype in ("F16", "BF16"):
                path = os.path.join(args.out, f"{name}-weights-{dtype.lower()}.safetensors")
                safetensors_io.save(path, {k: (a, dtype) for k, (a, _) in weights.items()},
                                    metadata={"variant": variant, "converted_from": entry["weights"],
                                              "rounding": "round to nearest even from F32"})
                entry[f"weights_{dtype.lower()}"] = os.path.basename(path)

    # The official initialisation: zero adaLN and final layers, so each block is the identity.
    cfg = FIXTURES["adaln-zero"][1]
    torch.manual_seed(505)
    model = DiT(cfg, "adaln-zero")
    gen = torch.Generator().manual_seed(505)
    x, t, y = make_inputs(cfg, gen, [3.5, 500.0, 999.0])
    entry = describe("adaln-zero-init", "adaln-zero", cfg, 505, t, y,
                     "official (torch.manual_seed(505)): xavier-uniform Linears, zero adaLN and final layers")
    safetensors_io.save(os.path.join(args.out, entry["weights"]), state_dict_f32(model),
                        metadata={"variant": "adaln-zero", "init": "official",
                                  "config": json.dumps(entry["config"], sort_keys=True)})
    diffs, max_out = check_identity_blocks(model, x, t, y)
    if any(d != 0.0 for d in diffs) or max_out != 0.0:
        raise SystemExit(f"official init: blocks not the identity ({diffs}) or output not zero ({max_out})")
    out, cfg_out, cfg_all = run_reference(model, x, t, y, cfg)
    write_io(os.path.join(args.out, entry["io"]), x, t, y, out, cfg_out, cfg_all, entry)
    entry["block_identity"] = {"checked": True, "max_abs_block_out_minus_in": diffs,
                               "note": "block(x, c) == x exactly in float64 for every block; with the zero "
                                       "final layer every output is exactly 0"}
    entry["max_abs_out"] = max_out
    manifest["fixtures"].append(entry)

    with open(os.path.join(args.out, "fixtures.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=False)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {len(os.listdir(args.out))} files, {total} bytes, to {args.out}")


if __name__ == "__main__":
    main()
