"""Worker-side helpers of the siamese_triplet tests: they need live torch modules, which cannot
cross to the harness. Each takes the student module first and returns plain data (numpy arrays,
numbers, strings, lists and dicts of these); the harness judges everything they return, and
computes every metric (recall@1 included) itself.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch


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


def embed(module: Any, x: np.ndarray, input_dim: int | None = None,
          embedding_dim: int | None = None) -> dict:
    """Build ``EmbeddingNet`` (defaults when the dims are None) and embed ``x``."""
    _seed_everything(0)
    kwargs = {k: v for k, v in (("input_dim", input_dim), ("embedding_dim", embedding_dim)) if v is not None}
    net = module.EmbeddingNet(**kwargs)
    out = net(torch.tensor(x, dtype=torch.float32))
    return {"out": _array_or_type(out), "parameters": sum(p.numel() for p in net.parameters())}


def siamese(module: Any, x1: np.ndarray, x2: np.ndarray, embedding_dim: int) -> dict:
    """SiameseNet's outputs next to its embedding net's own, before and after that net's weights
    change (a SiameseNet that copied the net instead of sharing it goes stale)."""
    _seed_everything(0)
    net = module.EmbeddingNet(input_dim=x1.shape[1], embedding_dim=embedding_dim)
    pair = module.SiameseNet(embedding_net=net)
    pair.eval()
    t1, t2 = torch.tensor(x1, dtype=torch.float32), torch.tensor(x2, dtype=torch.float32)
    report: dict = {}
    for stage in ("before", "after"):
        with torch.no_grad():
            result = pair(t1, t2)
            if not (isinstance(result, tuple) and len(result) == 2):
                return {"unexpected_result": _type_name(result)}
            report[stage] = {"e1": _array_or_type(result[0]), "e2": _array_or_type(result[1]),
                             "net1": _array_or_type(net(t1)), "net2": _array_or_type(net(t2))}
            for p in net.parameters():
                p.add_(0.5 * torch.randn_like(p))
    return report


def train_and_embed(module: Any, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                    seed: int, embedding_dim: int = 2, **train_kwargs: Any) -> dict:
    """Train a fresh ``EmbeddingNet`` with the student's ``train_triplet`` (default hyperparameters
    unless given) and return the loss history and the held-out embeddings, in eval mode."""
    _seed_everything(seed)
    net = module.EmbeddingNet(input_dim=X_train.shape[1], embedding_dim=embedding_dim)
    before = [p.detach().clone() for p in net.parameters()]
    X = torch.tensor(X_train, dtype=torch.float32)
    y = torch.tensor(y_train, dtype=torch.int64)
    history = module.train_triplet(net, X, y, seed=seed, **train_kwargs)
    net.eval()
    with torch.no_grad():
        embeddings = net(torch.tensor(X_test, dtype=torch.float32))
    changed = any(not torch.equal(b, p.detach()) for b, p in zip(before, net.parameters()))
    return {
        "history": [_number_or_type(v) for v in history] if isinstance(history, list)
        else {"unexpected_type": _type_name(history)},
        "embeddings": _array_or_type(embeddings),
        "parameters_changed": changed,
    }
