"""Oracles of the hidden backprop tests: torch autograd in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch


def torch_grads(fn: Callable[..., torch.Tensor], inputs: dict[str, np.ndarray],
                dout: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Value and input gradients of ``fn`` computed by torch autograd in float64."""
    tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in inputs.items()}
    out = fn(**tensors)
    out.backward(torch.ones_like(out) if dout is None else torch.tensor(dout))
    return out.detach().numpy(), {k: t.grad.numpy() for k, t in tensors.items()}


def torch_net_loss(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray,
                   reg: float) -> tuple[np.ndarray, float, dict[str, np.ndarray]]:
    """Scores, loss and parameter gradients of the lab's network (affine - ReLU ... affine, softmax)."""
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    layers = len(params) // 2
    h = torch.tensor(X).reshape(X.shape[0], -1)
    for i in range(1, layers + 1):
        h = h @ tensors[f"W{i}"] + tensors[f"b{i}"]
        if i < layers:
            h = torch.relu(h)
    loss = torch.nn.functional.cross_entropy(h, torch.tensor(y))
    loss = loss + 0.5 * reg * sum((tensors[f"W{i}"] ** 2).sum() for i in range(1, layers + 1))
    loss.backward()
    return h.detach().numpy(), float(loss), {k: t.grad.numpy() for k, t in tensors.items()}
