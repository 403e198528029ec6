"""A second, independent float64 DiT forward in plain numpy, straight from dit-spec.md
(patchify as a GEMM, explicit unpatchify loops), checked against every fixture's `out`,
`cfg_out` and `cfg_out_all`. Run after make_fixtures.py:
    /usr/bin/python3 experiments/reference/check_reference.py
"""

import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

FIXTURES = "model/src/test/resources/fixtures"


def linear(W, name, x):
    return x @ W[name + ".weight"].T + W[name + ".bias"]


def layer_norm(x, W=None, name=None):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    h = (x - mean) / np.sqrt(var + 1e-6)
    return h if name is None else h * W[name + ".weight"] + W[name + ".bias"]


def silu(x):
    return x / (1 + np.exp(-x))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def mha(q, k, v, H):  # (B, Tq, D), (B, Tk, D), (B, Tk, D)
    B, Tq, D = q.shape
    hd = D // H
    out = np.zeros_like(q)
    for h in range(H):
        sl = slice(h * hd, (h + 1) * hd)
        p = softmax(q[:, :, sl] @ k[:, :, sl].transpose(0, 2, 1) / math.sqrt(hd))
        out[:, :, sl] = p @ v[:, :, sl]
    return out


def self_attn(W, name, x, H):
    D = x.shape[-1]
    qkv = linear(W, name + ".qkv", x)
    return linear(W, name + ".proj", mha(qkv[..., :D], qkv[..., D:2 * D], qkv[..., 2 * D:], H))


def mlp(W, name, x):
    return linear(W, name + ".fc2", gelu_tanh(linear(W, name + ".fc1", x)))


def modulate(h, shift, scale):
    return h * (1 + scale[:, None]) + shift[:, None]


def forward(W, cfg, variant, x, t, y):
    B, C, I, _ = x.shape
    p, D, H = cfg["patch"], cfg["hidden"], cfg["heads"]
    g = I // p
    # patchify: per token the vector is [c][pr][pc]
    patches = np.zeros((B, g * g, C * p * p))
    for r in range(g):
        for col in range(g):
            patches[:, r * g + col] = x[:, :, r * p:(r + 1) * p, col * p:(col + 1) * p].reshape(B, -1)
    h = patches @ W["x_embedder.proj.weight"].reshape(D, -1).T + W["x_embedder.proj.bias"]
    h = h + W["pos_embed"][0]
    freqs = np.array([math.exp(-math.log(10000) * k / 128) for k in range(128)], dtype=np.float32)
    args = (t.astype(np.float32)[:, None] * freqs[None]).astype(np.float64)
    t_emb = np.concatenate([np.cos(args), np.sin(args)], axis=1)
    t_emb = linear(W, "t_embedder.mlp.2", silu(linear(W, "t_embedder.mlp.0", t_emb)))
    y_emb = W["y_embedder.embedding_table.weight"][y]
    T = g * g
    if variant in ("adaln-zero", "adaln"):
        c = t_emb + y_emb
        for i in range(cfg["depth"]):
            b = f"blocks.{i}"
            mod = linear(W, b + ".adaLN_modulation.1", silu(c))
            if variant == "adaln-zero":
                sh1, sc1, g1, sh2, sc2, g2 = np.split(mod, 6, axis=1)
            else:
                sh1, sc1, sh2, sc2 = np.split(mod, 4, axis=1)
                g1 = g2 = np.ones_like(sh1)
            h = h + g1[:, None] * self_attn(W, b + ".attn", modulate(layer_norm(h), sh1, sc1), H)
            h = h + g2[:, None] * mlp(W, b + ".mlp", modulate(layer_norm(h), sh2, sc2))
        shift, scale = np.split(linear(W, "final_layer.adaLN_modulation.1", silu(c)), 2, axis=1)
        h = linear(W, "final_layer.linear", modulate(layer_norm(h), shift, scale))
    elif variant == "in-context":
        h = np.concatenate([h, t_emb[:, None], y_emb[:, None]], axis=1)
        for i in range(cfg["depth"]):
            b = f"blocks.{i}"
            h = h + self_attn(W, b + ".attn", layer_norm(h, W, b + ".norm1"), H)
            h = h + mlp(W, b + ".mlp", layer_norm(h, W, b + ".norm2"))
        h = linear(W, "final_layer.linear", layer_norm(h[:, :T], W, "final_layer.norm_final"))
    else:
        ctx = np.stack([t_emb, y_emb], axis=1)
        for i in range(cfg["depth"]):
            b = f"blocks.{i}"
            h = h + self_attn(W, b + ".attn", layer_norm(h, W, b + ".norm1"), H)
            q = linear(W, b + ".cross_attn.q", layer_norm(h, W, b + ".norm2"))
            kv = linear(W, b + ".cross_attn.kv", ctx)
            h = h + linear(W, b + ".cross_attn.proj", mha(q, kv[..., :D], kv[..., D:], H))
            h = h + mlp(W, b + ".mlp", layer_norm(h, W, b + ".norm3"))
        h = linear(W, "final_layer.linear", layer_norm(h, W, "final_layer.norm_final"))
    # unpatchify: per token [pr][pc][channel]
    oc = cfg["out_channels"]
    out = np.zeros((B, oc, I, I))
    for r in range(g):
        for col in range(g):
            v = h[:, r * g + col].reshape(B, p, p, oc)
            for pr in range(p):
                for pc in range(p):
                    out[:, :, r * p + pr, col * p + pc] = v[:, pr, pc, :]
    return out


def cfg_forward(W, cfg, variant, x, t, y, scale, guided):
    B = x.shape[0]
    out = forward(W, cfg, variant, np.concatenate([x, x]), np.concatenate([t, t]),
                  np.concatenate([y, np.full_like(y, cfg["num_classes"])]))
    cond, uncond = out[:B], out[B:]
    res = cond.copy()
    res[:, :guided] = uncond[:, :guided] + scale * (cond[:, :guided] - uncond[:, :guided])
    return res


def main():
    manifest = json.load(open(os.path.join(FIXTURES, "fixtures.json")))
    worst = 0.0
    for f in manifest["fixtures"]:
        W, _, _ = safetensors_io.load(os.path.join(FIXTURES, f["weights"]))
        W = {k: v.astype(np.float64) for k, v in W.items()}
        io, _, _ = safetensors_io.load(os.path.join(FIXTURES, f["io"]))
        x, t, y = io["x"].astype(np.float64), io["t"], io["y"]
        cfg, v = f["config"], f["variant"]
        got = {"out": forward(W, cfg, v, x, t, y),
               "cfg_out": cfg_forward(W, cfg, v, x, t, y, f["cfg_scale"], f["cfg_guided_channels"]),
               "cfg_out_all": cfg_forward(W, cfg, v, x, t, y, f["cfg_scale"], f["cfg_all_guided_channels"])}
        for key, value in got.items():
            ref = io[key].astype(np.float64)
            err = np.abs(value - ref).max() / max(np.abs(ref).max(), 1e-30)
            worst = max(worst, err) if np.abs(ref).max() > 0 else max(worst, np.abs(value).max())
            print(f"{f['name']:16s} {key:12s} max|diff|/max|ref| = {err:.2e}")
    if worst > 1e-6:  # the fixtures are float64 results rounded to float32: expect ~1e-8
        raise SystemExit(f"numpy and torch references disagree: {worst:.2e}")
    print("numpy reference agrees with the fixtures")


if __name__ == "__main__":
    main()
