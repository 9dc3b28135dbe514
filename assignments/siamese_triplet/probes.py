"""Worker-side helpers of the siamese_triplet tests: they need live torch modules, which cannot
cross to the harness. Each takes the student module first and returns plain data (numpy arrays,
numbers, strings, lists and dicts of these); the harness judges everything they return, and
computes every metric itself: a trained network comes back as its parameters, which the harness
runs through its own forward pass on data the worker never sees.

Where the function under test may call other graded functions of the lab, the test sends correct
versions of those (``student.probe(substitute=...)``), which are in place during the probe's call.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch
from torch import nn


def _type_name(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _array_or_type(value: Any) -> Any:
    """A returned tensor as an array; anything else as its type name, so the harness reports it."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy().copy()
    return {"unexpected_type": _type_name(value)}


def _number_or_type(value: Any) -> Any:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    return {"unexpected_type": _type_name(value)}


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def call(module: Any, name: str, args: list, kwargs: dict, grad: bool = False, pick: int | None = None) -> dict:
    """``module.name(*args, **kwargs)``. Returns {"result", "args_after" (the arguments after the
    call), "grads" (with ``grad``: one per argument that requires grad, of the result or of its
    element ``pick``, None where unused), "problem" (why no gradient could be taken, or "")}."""
    leaves = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    result = getattr(module, name)(*args, **kwargs)
    out = {"result": result, "args_after": args, "grads": None, "problem": ""}
    if grad:
        value = result[pick] if pick is not None and isinstance(result, tuple) and len(result) > pick else result
        if pick is not None and value is result:
            out["problem"] = f"expected a tuple with an element {pick}, got a {_type_name(result)}"
        elif not isinstance(value, torch.Tensor):
            out["problem"] = f"expected a torch tensor, got a {_type_name(value)}"
        elif not value.requires_grad:
            out["problem"] = "the returned tensor carries no gradient (was it detached?)"
        else:
            grads = torch.autograd.grad(value, leaves, torch.ones_like(value), allow_unused=True)
            out["grads"] = [None if g is None else g.detach().numpy().copy() for g in grads]
    return out


class _MLP(nn.Module):
    """The grader's embedding net: affine layers with ReLU between them, from ``layers``, a list of
    (W (in, out), b (out,)) float32 arrays the harness chose."""

    def __init__(self, layers: list) -> None:
        super().__init__()
        self.weights = nn.ParameterList()
        for w, b in layers:
            self.weights.append(nn.Parameter(torch.tensor(np.asarray(w), dtype=torch.float32)))
            self.weights.append(nn.Parameter(torch.tensor(np.asarray(b), dtype=torch.float32)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n_layers = len(self.weights) // 2
        for i in range(n_layers):
            x = x @ self.weights[2 * i] + self.weights[2 * i + 1]
            if i < n_layers - 1:
                x = torch.relu(x)
        return x


def embed(module: Any, x: np.ndarray, input_dim: int | None = None,
          embedding_dim: int | None = None) -> dict:
    """Build ``EmbeddingNet`` (defaults when the dims are None) and embed ``x``; "input_after" is
    the input tensor after the forward pass."""
    _seed_everything(0)
    kwargs = {k: v for k, v in (("input_dim", input_dim), ("embedding_dim", embedding_dim)) if v is not None}
    net = module.EmbeddingNet(**kwargs)
    t = torch.tensor(x, dtype=torch.float32)
    out = net(t)
    return {"out": _array_or_type(out), "parameters": sum(p.numel() for p in net.parameters()),
            "input_after": t.numpy().copy()}


def siamese(module: Any, x1: np.ndarray, x2: np.ndarray, layers: list) -> dict:
    """SiameseNet, on the grader's embedding net (``layers``): its outputs next to that net's own,
    before and after the net's weights change (a SiameseNet that copied the net instead of sharing
    it goes stale), and "x1_after" and "x2_after", its inputs after the forward passes."""
    _seed_everything(0)
    net = _MLP(layers)
    pair = module.SiameseNet(embedding_net=net)
    pair.eval()
    t1, t2 = torch.tensor(x1, dtype=torch.float32), torch.tensor(x2, dtype=torch.float32)
    report: dict = {}
    for stage in ("before", "after"):
        with torch.no_grad():
            result = pair(t1, t2)
            if not (isinstance(result, tuple) and len(result) == 2):
                return {"unexpected_result": _type_name(result)}
            report[stage] = {"e1": _array_or_type(result[0]), "e2": _array_or_type(result[1])}
            report[stage].update({"net1": net(t1).numpy().copy(), "net2": net(t2).numpy().copy(),
                                  "x1_after": t1.numpy().copy(), "x2_after": t2.numpy().copy()})
            for p in net.parameters():
                p.add_(0.5 * torch.randn_like(p))
    return report


def train(module: Any, layers: list, X: np.ndarray, y: np.ndarray, seed: int, **train_kwargs: Any) -> dict:
    """Train the grader's embedding net (``layers``, its initial weights) with the student's
    ``train_triplet`` (default hyperparameters unless given) and return the loss history, the net's
    parameters afterwards (one array per parameter, in order: the harness checks their shapes and
    embeds its held-out data with them itself), and X and y after training."""
    _seed_everything(seed)
    net = _MLP(layers)
    X_t = torch.tensor(X, dtype=torch.float32)
    y_t = torch.tensor(y, dtype=torch.int64)
    history = module.train_triplet(net, X_t, y_t, seed=seed, **train_kwargs)
    return {
        "history": [_number_or_type(v) for v in history] if isinstance(history, list)
        else {"unexpected_type": _type_name(history)},
        "parameters": [_array_or_type(p) for p in net.parameters()],
        "X_after": X_t.numpy().copy(),
        "y_after": y_t.numpy().copy(),
    }
