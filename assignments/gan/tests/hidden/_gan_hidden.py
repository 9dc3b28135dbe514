"""Harness-side formulas of the hidden gan tests, computed in float64 independently of the student
file: the losses (numpy, and torch's own binary_cross_entropy_with_logits as a second opinion),
the gradient penalty of the grader's tanh MLP and the SGD updates of one training step."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def bce_np(x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean BCE on logits and its gradient, float64, stable for any |x|."""
    x = x.astype(np.float64)
    t = t.astype(np.float64)
    loss = np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))
    sig = np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))))
    return float(loss.mean()), (sig - t) / x.size


def bce_torch(x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(xt, torch.tensor(t, dtype=torch.float64))
    loss.backward()
    return float(loss), xt.grad.numpy()


def _tensors(layers: list) -> list[torch.Tensor]:
    out = []
    for w, b in layers:
        out.append(torch.tensor(np.asarray(w), dtype=torch.float64, requires_grad=True))
        out.append(torch.tensor(np.asarray(b), dtype=torch.float64, requires_grad=True))
    return out


def _mlp(params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    h = x.reshape(x.shape[0], -1)
    n = len(params) // 2
    for i in range(n):
        h = h @ params[2 * i] + params[2 * i + 1]
        if i < n - 1:
            h = torch.tanh(h)
    return h


def as_layers(flat: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Parameters as the probe lists them (W1, b1, W2, b2, ...) back into layers."""
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]


def penalty(layers: list, x_hat: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """WGAN-GP penalty of the tanh MLP at the given interpolates, and its gradient with respect
    to every parameter (double backward in float64)."""
    params = _tensors(layers)
    x = torch.tensor(x_hat, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(_mlp(params, x).sum(), x, create_graph=True)
    value = ((g.reshape(g.shape[0], -1).norm(dim=1) - 1.0) ** 2).mean()
    grads = torch.autograd.grad(value, params, allow_unused=True)
    zero_if_unused = [np.zeros(p.shape) if gr is None else gr.numpy()
                      for p, gr in zip(params, grads, strict=True)]
    return float(value), zero_if_unused


def _losses(kind: str):
    def bce(x, t):
        return (x.clamp(min=0) - x * t + torch.log1p(torch.exp(-x.abs()))).mean()

    if kind == "ns":
        return (
            lambda r, f: bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f)),
            lambda f: bce(f, torch.ones_like(f)),
        )
    return (
        lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean(),
        lambda f: 0.5 * ((f - 1) ** 2).mean(),
    )


def d_step(g_flat: list, d_flat: list, real: np.ndarray, z_d: np.ndarray, kind: str, lr: float):
    """The discriminator's loss at (G, D) on real and G(z_d), and the SGD change of D's
    parameters: -lr * gradient."""
    g = [torch.tensor(p, dtype=torch.float64) for p in g_flat]
    d = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in d_flat]
    fake = _mlp(g, torch.tensor(z_d, dtype=torch.float64))
    d_loss_fn, _ = _losses(kind)
    loss = d_loss_fn(_mlp(d, torch.tensor(real, dtype=torch.float64)), _mlp(d, fake))
    grads = torch.autograd.grad(loss, d)
    return float(loss), [-lr * gr.numpy() for gr in grads]


def g_step(g_flat: list, d_flat: list, z_g: np.ndarray, kind: str, lr: float):
    """The generator's loss of G(z_g) through D, and the SGD change of G's parameters."""
    g = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in g_flat]
    d = [torch.tensor(p, dtype=torch.float64) for p in d_flat]
    _, g_loss_fn = _losses(kind)
    loss = g_loss_fn(_mlp(d, _mlp(g, torch.tensor(z_g, dtype=torch.float64))))
    grads = torch.autograd.grad(loss, g)
    return float(loss), [-lr * gr.numpy() for gr in grads]
