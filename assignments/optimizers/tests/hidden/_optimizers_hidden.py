"""Oracles of the hidden optimizers tests: torch.optim's optimizers over whole trajectories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from _optimizers_util import DEFAULTS


def torch_optimizer(rule: str, params: list[torch.Tensor], hp: dict[str, Any]) -> torch.optim.Optimizer:
    """The torch.optim optimizer the spec names for ``rule``, with every hyperparameter given."""
    lr = hp["learning_rate"]
    if rule == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=hp["weight_decay"])
    if rule == "sgd_momentum":
        return torch.optim.SGD(params, lr=lr, momentum=hp["momentum"], dampening=0, nesterov=hp["nesterov"],
                               weight_decay=hp["weight_decay"])
    if rule == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=hp["decay_rate"], eps=hp["epsilon"])
    if rule == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=hp["epsilon"])
    cls = torch.optim.Adam if rule == "adam" else torch.optim.AdamW
    return cls(params, lr=lr, betas=(hp["beta1"], hp["beta2"]), eps=hp["epsilon"], weight_decay=hp["weight_decay"])


def torch_trajectory(rule: str, hp: dict[str, Any], w0: np.ndarray, gradient: Callable[[np.ndarray, int], np.ndarray],
                     steps: int) -> np.ndarray:
    """The weights after each of ``steps`` steps of torch.optim (hyperparameters ``hp`` over the defaults)."""
    p = torch.tensor(w0, dtype=torch.float64)
    opt = torch_optimizer(rule, [p], {**DEFAULTS[rule], **hp})
    out = np.empty((steps, *w0.shape))
    for t in range(steps):
        p.grad = torch.tensor(gradient(p.numpy().copy(), t), dtype=torch.float64)
        opt.step()
        out[t] = p.numpy()
    return out
