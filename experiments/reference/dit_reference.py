"""PyTorch reference of DiT and its four conditioning variants, written from
shared/reference/dit-spec.md sections 2 and 3 (Peebles & Xie, arXiv 2212.09748).

The state_dict keys are the official DiT names. The model runs in whatever dtype its
parameters have: the fixtures call model.double() so their expected outputs are a float64
reference of the float32 weights. Shapes: B batch, C in channels, I input size, p patch,
T = (I/p)^2 tokens, D hidden, H heads, hd = D/H.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn

VARIANTS = ("adaln-zero", "adaln", "in-context", "cross-attention")


@dataclass(frozen=True)
class DiTConfig:
    depth: int = 2
    hidden: int = 24
    heads: int = 3
    patch: int = 2
    input_size: int = 8
    in_channels: int = 4
    num_classes: int = 10
    learn_sigma: bool = True
    mlp_ratio: int = 4

    @property
    def out_channels(self):
        return self.in_channels * 2 if self.learn_sigma else self.in_channels

    @property
    def tokens(self):
        return (self.input_size // self.patch) ** 2


# ---------------------------------------------------------------- shared pieces

def modulate(h, shift, scale):
    return h * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)  # (B, T, D)


def sincos_pos_embed(dim, grid):
    """Fixed 2-D sin-cos embedding in float64, (grid*grid, dim): first dim/2 channels encode
    the column, the last dim/2 the row; each half is [sin(pos*w_k)] ++ [cos(pos*w_k)]."""
    assert dim % 4 == 0, "hidden size must be divisible by 4 for the 2-D sin-cos embedding"
    w = 1.0 / 10000 ** (np.arange(dim // 4, dtype=np.float64) / (dim / 4.0))  # (D/4,)

    def encode(pos):  # (T,) -> (T, D/2)
        out = np.outer(pos, w)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    rows, cols = np.meshgrid(np.arange(grid, dtype=np.float64), np.arange(grid, dtype=np.float64), indexing="ij")
    return np.concatenate([encode(cols.reshape(-1)), encode(rows.reshape(-1))], axis=1)  # token = row*grid + col


class PatchEmbed(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.proj = nn.Conv2d(cfg.in_channels, cfg.hidden, kernel_size=cfg.patch, stride=cfg.patch, bias=True)

    def forward(self, x):  # (B, C, I, I)
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, T, D)


class TimestepEmbedder(nn.Module):
    FREQ_DIM = 256

    def __init__(self, hidden):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(self.FREQ_DIM, hidden), nn.SiLU(), nn.Linear(hidden, hidden))

    @staticmethod
    def frequency_embedding(t, dim=FREQ_DIM, max_period=10000):
        """The argument t*f_k of [cos(t*f_k)] ++ [sin(t*f_k)], f_k = exp(-ln(max_period) k / (dim/2)).
        f_k is evaluated in float64 and rounded to float32 (a float32 exp of a float32 argument,
        as in the official code, differs between libraries by many ulps; this is reproducible
        anywhere as (float) Math.exp(-Math.log(10000) * k / 128)). The product t*f_k is rounded
        to float32 as the official code does; cos and sin are then evaluated in the model's dtype."""
        half = dim // 2
        freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float64) / half).float()  # (128,)
        return (t.float()[:, None] * freqs[None]).double()  # (B, 128), float32 values

    def forward(self, t):  # (B,)
        dtype = self.mlp[0].weight.dtype
        args = self.frequency_embedding(t).to(dtype)
        emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)  # (B, 256)
        return self.mlp(emb)  # (B, D)


class LabelEmbedder(nn.Module):
    def __init__(self, num_classes, hidden):
        super().__init__()
        self.embedding_table = nn.Embedding(num_classes + 1, hidden)  # last row: the null class

    def forward(self, y):  # (B,)
        return self.embedding_table(y)  # (B, D)


class Attention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, x):  # (B, T, D)
        B, T, D = x.shape
        qkv = self.qkv(x).reshape(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # (B, H, T, hd)
        return self.proj(attend(q, k, v).transpose(1, 2).reshape(B, T, D))  # (B, T, D)


def attend(q, k, v):  # (B, H, Tq, hd), (B, H, Tk, hd) x2
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (B, H, Tq, Tk)
    return scores.softmax(dim=-1) @ v  # (B, H, Tq, hd)


class CrossAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.kv = nn.Linear(hidden, 2 * hidden)
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, x, context):  # (B, T, D), (B, S, D)
        B, T, D = x.shape
        S, H, hd = context.shape[1], self.heads, D // self.heads
        q = self.q(x).reshape(B, T, H, hd).transpose(1, 2)  # (B, H, T, hd)
        kv = self.kv(context).reshape(B, S, 2, H, hd).permute(2, 0, 3, 1, 4)  # [k | v] along the output
        return self.proj(attend(q, kv[0], kv[1]).transpose(1, 2).reshape(B, T, D))  # (B, T, D)


class Mlp(nn.Module):
    def __init__(self, hidden, ratio):
        super().__init__()
        self.fc1 = nn.Linear(hidden, ratio * hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(ratio * hidden, hidden)

    def forward(self, x):  # (B, T, D)
        return self.fc2(self.act(self.fc1(x)))


def layer_norm(hidden, affine):
    return nn.LayerNorm(hidden, elementwise_affine=affine, eps=1e-6)


# ---------------------------------------------------------------- the four blocks

class AdaLNZeroBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D = cfg.hidden
        self.norm1, self.norm2 = layer_norm(D, False), layer_norm(D, False)
        self.attn = Attention(D, cfg.heads)
        self.mlp = Mlp(D, cfg.mlp_ratio)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(D, 6 * D))

    def forward(self, x, c):  # (B, T, D), (B, D)
        shift1, scale1, gate1, shift2, scale2, gate2 = self.adaLN_modulation(c).chunk(6, dim=1)  # (B, D) each
        x = x + gate1.unsqueeze(1) * self.attn(modulate(self.norm1(x), shift1, scale1))
        x = x + gate2.unsqueeze(1) * self.mlp(modulate(self.norm2(x), shift2, scale2))
        return x  # (B, T, D)


class AdaLNBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D = cfg.hidden
        self.norm1, self.norm2 = layer_norm(D, False), layer_norm(D, False)
        self.attn = Attention(D, cfg.heads)
        self.mlp = Mlp(D, cfg.mlp_ratio)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(D, 4 * D))

    def forward(self, x, c):  # (B, T, D), (B, D)
        shift1, scale1, shift2, scale2 = self.adaLN_modulation(c).chunk(4, dim=1)  # (B, D) each
        x = x + self.attn(modulate(self.norm1(x), shift1, scale1))
        x = x + self.mlp(modulate(self.norm2(x), shift2, scale2))
        return x  # (B, T, D)


class InContextBlock(nn.Module):
    """A standard pre-LN ViT block; the conditioning arrives as two extra tokens."""

    def __init__(self, cfg):
        super().__init__()
        D = cfg.hidden
        self.norm1, self.norm2 = layer_norm(D, True), layer_norm(D, True)
        self.attn = Attention(D, cfg.heads)
        self.mlp = Mlp(D, cfg.mlp_ratio)

    def forward(self, x):  # (B, T + 2, D)
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x


class CrossAttentionBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D = cfg.hidden
        self.norm1, self.norm2, self.norm3 = layer_norm(D, True), layer_norm(D, True), layer_norm(D, True)
        self.attn = Attention(D, cfg.heads)
        self.cross_attn = CrossAttention(D, cfg.heads)
        self.mlp = Mlp(D, cfg.mlp_ratio)

    def forward(self, x, context):  # (B, T, D), (B, 2, D)
        x = x + self.attn(self.norm1(x))
        x = x + self.cross_attn(self.norm2(x), context)
        x = x + self.mlp(self.norm3(x))
        return x


class AdaLNFinalLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D = cfg.hidden
        self.norm_final = layer_norm(D, False)
        self.linear = nn.Linear(D, cfg.patch * cfg.patch * cfg.out_channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(D, 2 * D))

    def forward(self, x, c):  # (B, T, D), (B, D)
        shift, scale = self.adaLN_modulation(c).chunk(2, dim=1)
        return self.linear(modulate(self.norm_final(x), shift, scale))  # (B, T, p*p*out)


class PlainFinalLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.norm_final = layer_norm(cfg.hidden, True)
        self.linear = nn.Linear(cfg.hidden, cfg.patch * cfg.patch * cfg.out_channels)

    def forward(self, x):  # (B, T, D)
        return self.linear(self.norm_final(x))  # (B, T, p*p*out)


# ---------------------------------------------------------------- the model

class DiT(nn.Module):
    def __init__(self, cfg, variant="adaln-zero"):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f"variant: expected one of {VARIANTS}, found {variant!r}")
        if cfg.hidden % cfg.heads or cfg.input_size % cfg.patch:
            raise ValueError(f"bad config {cfg}")
        self.cfg, self.variant = cfg, variant
        D = cfg.hidden
        self.x_embedder = PatchEmbed(cfg)
        self.t_embedder = TimestepEmbedder(D)
        self.y_embedder = LabelEmbedder(cfg.num_classes, D)
        # fixed, not trained: the float64 sin-cos table rounded to float32
        pos = torch.from_numpy(sincos_pos_embed(D, cfg.input_size // cfg.patch)).float().unsqueeze(0)
        self.pos_embed = nn.Parameter(pos, requires_grad=False)  # (1, T, D)
        block = {"adaln-zero": AdaLNZeroBlock, "adaln": AdaLNBlock,
                 "in-context": InContextBlock, "cross-attention": CrossAttentionBlock}[variant]
        self.blocks = nn.ModuleList([block(cfg) for _ in range(cfg.depth)])
        adaptive = variant in ("adaln-zero", "adaln")
        self.final_layer = AdaLNFinalLayer(cfg) if adaptive else PlainFinalLayer(cfg)
        self.initialize_weights()

    def initialize_weights(self):
        """The official initialisation (dit-spec.md section 2)."""
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        w = self.x_embedder.proj.weight
        nn.init.xavier_uniform_(w.data.view(w.shape[0], -1))  # on the [D, C*p*p] view
        nn.init.zeros_(self.x_embedder.proj.bias)
        nn.init.normal_(self.y_embedder.embedding_table.weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[0].weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[2].weight, std=0.02)
        if self.variant == "adaln-zero":
            for b in self.blocks:
                nn.init.zeros_(b.adaLN_modulation[-1].weight)
                nn.init.zeros_(b.adaLN_modulation[-1].bias)
        if isinstance(self.final_layer, AdaLNFinalLayer):
            nn.init.zeros_(self.final_layer.adaLN_modulation[-1].weight)
            nn.init.zeros_(self.final_layer.adaLN_modulation[-1].bias)
        nn.init.zeros_(self.final_layer.linear.weight)
        nn.init.zeros_(self.final_layer.linear.bias)

    def unpatchify(self, x):  # (B, T, p*p*out), per token [pr][pc][channel]
        p, c, g = self.cfg.patch, self.cfg.out_channels, self.cfg.input_size // self.cfg.patch
        x = x.reshape(x.shape[0], g, g, p, p, c)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(x.shape[0], c, g * p, g * p)  # (B, out, I, I)

    def embed(self, x, t, y):
        x = self.x_embedder(x) + self.pos_embed  # (B, T, D)
        return x, self.t_embedder(t), self.y_embedder(y)  # (B, T, D), (B, D), (B, D)

    def forward(self, x, t, y):  # (B, C, I, I), (B,), (B,)
        x, t_emb, y_emb = self.embed(x.to(self.x_embedder.proj.weight.dtype), t, y)
        if self.variant in ("adaln-zero", "adaln"):
            c = t_emb + y_emb  # (B, D)
            for block in self.blocks:
                x = block(x, c)
            x = self.final_layer(x, c)
        elif self.variant == "in-context":
            T = x.shape[1]
            x = torch.cat([x, t_emb.unsqueeze(1), y_emb.unsqueeze(1)], dim=1)  # (B, T + 2, D)
            for block in self.blocks:
                x = block(x)
            x = self.final_layer(x[:, :T])  # drop the two conditioning tokens
        else:
            context = torch.stack([t_emb, y_emb], dim=1)  # (B, 2, D)
            for block in self.blocks:
                x = block(x, context)
            x = self.final_layer(x)
        return self.unpatchify(x)  # (B, out, I, I)

    def forward_with_cfg(self, x, t, y, scale, guided_channels=3):
        """Classifier-free guidance. x, t, y are the B conditional inputs; the model runs once
        on the 2B batch [x; x], [t; t], [y; null...] and returns (B, out, I, I) with the first
        guided_channels channels = uncond + scale * (cond - uncond), the rest the conditional
        output (guided_channels=3 is the official choice, out_channels the textbook one)."""
        B = x.shape[0]
        null = torch.full_like(y, self.cfg.num_classes)
        out = self.forward(torch.cat([x, x]), torch.cat([t, t]), torch.cat([y, null]))  # (2B, out, I, I)
        cond, uncond = out[:B], out[B:]
        guided = uncond[:, :guided_channels] + scale * (cond[:, :guided_channels] - uncond[:, :guided_channels])
        return torch.cat([guided, cond[:, guided_channels:]], dim=1)  # (B, out, I, I)
