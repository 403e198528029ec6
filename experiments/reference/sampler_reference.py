"""The DiT sampler in float64, written from shared/reference/dit-spec.md section 5 (the official
`diffusion/` package and `sample.py`): linear betas, respacing with the official rounding, the
timestep map, learned-range or fixed-large variance, epsilon prediction, DDPM and DDIM, and
classifier-free guidance as `forward_with_cfg`.

Shapes: n images, C latent channels, I latent size; model output (n, 2C, I, I) with learn_sigma,
(n, C, I, I) without. Noise is given: x_T (n, C, I, I) and z (N, n, C, I, I), z[k] added at the
k-th reverse step (k = 0 at the largest timestep).
"""

import numpy as np
import torch

BASE_STEPS = 1000


def linear_betas(T=BASE_STEPS):
    scale = 1000.0 / T
    return np.linspace(scale * 1e-4, scale * 0.02, T, dtype=np.float64)


def respaced_timesteps(N, T=BASE_STEPS):
    """The kept base timesteps: stride (T-1)/(N-1) (1 when N = 1) accumulated from 0.0, each rounded
    with Python's round (halves to even)."""
    if not 1 <= N <= T:
        raise ValueError(f"steps must be in 1..{T}, given {N}")
    stride = 1.0 if N == 1 else (T - 1) / (N - 1)
    cur, kept = 0.0, []
    for _ in range(N):
        kept.append(round(cur))
        cur += stride
    return sorted(set(kept))


class Schedule:
    """The respaced process: every table rebuilt from the new betas (float64)."""

    def __init__(self, N, T=BASE_STEPS):
        base_acp = np.cumprod(1.0 - linear_betas(T))
        self.timesteps = respaced_timesteps(N, T)
        betas, last = [], 1.0
        for k in self.timesteps:
            betas.append(1.0 - base_acp[k] / last)
            last = base_acp[k]
        b = np.array(betas, dtype=np.float64)
        self.betas = b
        self.alphas = 1.0 - b
        self.acp = np.cumprod(self.alphas)
        self.acp_prev = np.append(1.0, self.acp[:-1])
        self.posterior_variance = b * (1.0 - self.acp_prev) / (1.0 - self.acp)
        if len(b) > 1:
            self.posterior_log_variance_clipped = np.log(np.append(self.posterior_variance[1], self.posterior_variance[1:]))
            self.fixed_large_log_variance = np.log(np.append(self.posterior_variance[1], b[1:]))
        else:  # N = 1: no element 1 exists; unused, since no noise is added at i = 0
            self.posterior_log_variance_clipped = np.log(b)
            self.fixed_large_log_variance = np.log(b)
        self.coef1 = b * np.sqrt(self.acp_prev) / (1.0 - self.acp)
        self.coef2 = (1.0 - self.acp_prev) * np.sqrt(self.alphas) / (1.0 - self.acp)


def model_output(model, x, t, y, cfg_scale, guided_channels):
    """The (guided) model output for the n conditional samples, float64."""
    tt = torch.full((x.shape[0],), float(t), dtype=torch.float32)  # the ORIGINAL timestep, as a float
    if cfg_scale == 1.0:
        return model(x, tt, y)
    return model.forward_with_cfg(x, tt, y, cfg_scale, guided_channels)


def sample(model, sched, x_T, z, y, cfg_scale=4.0, guided_channels=3, sampler="ddpm", eta=0.0, clip_denoised=False):
    """The reverse process from x_T; returns x_0 (n, C, I, I) in float64."""
    C = x_T.shape[1]
    x = x_T.double()
    N = len(sched.timesteps)
    with torch.no_grad():
        for k, i in enumerate(reversed(range(N))):
            out = model_output(model, x, sched.timesteps[i], y, cfg_scale, guided_channels)
            eps = out[:, :C]
            pred_x0 = np.sqrt(1.0 / sched.acp[i]) * x - np.sqrt(1.0 / sched.acp[i] - 1.0) * eps
            if clip_denoised:
                pred_x0 = pred_x0.clamp(-1, 1)
            noise = z[k].double()
            nonzero = 1.0 if i != 0 else 0.0
            if sampler == "ddpm":
                mean = sched.coef1[i] * pred_x0 + sched.coef2[i] * x
                if out.shape[1] == 2 * C:  # learned range
                    frac = (out[:, C:] + 1.0) / 2.0
                    log_var = frac * np.log(sched.betas[i]) + (1.0 - frac) * sched.posterior_log_variance_clipped[i]
                else:  # fixed large
                    log_var = torch.full_like(x, sched.fixed_large_log_variance[i])
                x = mean + nonzero * torch.exp(0.5 * log_var) * noise
            elif sampler == "ddim":
                eps2 = (np.sqrt(1.0 / sched.acp[i]) * x - pred_x0) / np.sqrt(1.0 / sched.acp[i] - 1.0)
                a, a_prev = sched.acp[i], sched.acp_prev[i]
                sigma = eta * np.sqrt((1.0 - a_prev) / (1.0 - a)) * np.sqrt(1.0 - a / a_prev)
                x = pred_x0 * np.sqrt(a_prev) + np.sqrt(1.0 - a_prev - sigma ** 2) * eps2 + nonzero * sigma * noise
            else:
                raise ValueError(f"unknown sampler {sampler}")
    return x
