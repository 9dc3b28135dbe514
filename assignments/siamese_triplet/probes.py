"""Worker-side helpers of the siamese_triplet tests: they need live torch modules, which cannot
cross to the harness. Each takes the student module first and returns plain data (numpy arrays,
numbers, strings, lists and dicts of these); the harness judges everything they return, and
computes every metric (recall@1 included) itself.

Where the function under test may call other graded functions of the lab (mining calls
``pairwise_distances``, ``train_triplet`` the losses), correct versions replace the submission's
own during the call, so that each test judges its one function (the others have tests of their own).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from autograder.worker.substitute import replaced


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


# ---- correct versions of the graded helpers, put in place of the submission's own -------------------
def _distances(embeddings: torch.Tensor, squared: bool = False) -> torch.Tensor:
    d2 = ((embeddings.unsqueeze(1) - embeddings.unsqueeze(0)) ** 2).sum(-1)
    if squared:
        return d2
    zero = d2 == 0  # keep sqrt'(0) = inf out of the graph
    return torch.where(zero, torch.zeros_like(d2), torch.sqrt(torch.where(zero, torch.ones_like(d2), d2)))


def _contrastive(emb1: torch.Tensor, emb2: torch.Tensor, is_same: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    d = torch.linalg.vector_norm(emb1 - emb2, dim=1)
    same = torch.as_tensor(is_same).to(d.dtype)
    return 0.5 * (same * d**2 + (1 - same) * F.relu(margin - d) ** 2).mean()


def _triplet(anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, margin: float = 1.0):
    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)
    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)
    return F.relu(d_ap - d_an + margin).mean()


def _masks(embeddings: torch.Tensor, labels: Any) -> tuple[torch.Tensor, torch.Tensor]:
    labels = torch.as_tensor(labels, device=embeddings.device)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    return same & ~torch.eye(len(labels), dtype=torch.bool, device=embeddings.device), ~same


def _batch_hard(embeddings: torch.Tensor, labels: Any, margin: float = 1.0) -> torch.Tensor:
    d = _distances(embeddings)
    pos, neg = _masks(embeddings, labels)
    valid = pos.any(1) & neg.any(1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    hardest_pos = torch.where(pos, d, torch.zeros_like(d)).max(1).values
    hardest_neg = torch.where(neg, d, torch.full_like(d, float("inf"))).min(1).values
    return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()


def _batch_all(embeddings: torch.Tensor, labels: Any, margin: float = 1.0) -> tuple[torch.Tensor, float]:
    d = _distances(embeddings)
    pos, neg = _masks(embeddings, labels)
    anchor, positive_idx = pos.nonzero(as_tuple=True)  # (anchor, positive) pairs, broadcast over negatives
    valid = neg[anchor]
    terms = F.relu(d[anchor, positive_idx].unsqueeze(1) - d[anchor] + margin) * valid
    positive = int((terms > 1e-16).sum())
    fraction = positive / int(valid.sum()) if bool(valid.any()) else 0.0
    return (terms.sum() / positive if positive else embeddings.sum() * 0), fraction


def _sample(labels: Any, num_triplets: int, seed: int | None = None) -> tuple[np.ndarray, ...]:
    labels = (labels.detach().cpu().numpy() if isinstance(labels, torch.Tensor) else np.asarray(labels)).ravel()
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    anchorable = np.flatnonzero(np.isin(labels, classes[counts >= 2]))
    if len(classes) < 2 or len(anchorable) == 0:
        raise ValueError("no valid triplet")
    anchors = rng.choice(anchorable, size=num_triplets)
    positives = np.array([rng.choice(np.flatnonzero((labels == labels[a]) & (np.arange(len(labels)) != a)))
                          for a in anchors], dtype=np.int64)
    negatives = np.array([rng.choice(np.flatnonzero(labels != labels[a])) for a in anchors], dtype=np.int64)
    return anchors, positives, negatives


ORACLES = {"pairwise_distances": _distances, "contrastive_loss": _contrastive, "triplet_loss": _triplet,
           "batch_hard_triplet_loss": _batch_hard, "batch_all_triplet_loss": _batch_all, "sample_triplets": _sample}


def _replaced(module: Any, names: Sequence[str]):
    return replaced(module, {name: ORACLES[name] for name in names})


def call(module: Any, name: str, args: list, kwargs: dict, oracles: Sequence[str] = (), grad: bool = False,
         pick: int | None = None) -> dict:
    """``module.name(*args, **kwargs)`` with correct ``oracles`` in place of the submission's own.
    Returns {"result", "args_after" (the arguments after the call), "grads" (with ``grad``: one per
    argument that requires grad, of the result or of its element ``pick``, None where unused),
    "problem" (why no gradient could be taken, or "")}."""
    leaves = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    with _replaced(module, oracles):
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


def _mlp(input_dim: int, embedding_dim: int) -> nn.Module:
    """The harness' own embedding net, for the tests of the functions that take one."""
    return nn.Sequential(nn.Linear(input_dim, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, embedding_dim))


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


def siamese(module: Any, x1: np.ndarray, x2: np.ndarray, embedding_dim: int) -> dict:
    """SiameseNet, on the harness' own embedding net: its outputs next to that net's own, before and
    after the net's weights change (a SiameseNet that copied the net instead of sharing it goes
    stale), and "x1_after" and "x2_after", its inputs after the forward passes."""
    _seed_everything(0)
    net = _mlp(x1.shape[1], embedding_dim)
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


def train_and_embed(module: Any, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                    seed: int, embedding_dim: int = 2, **train_kwargs: Any) -> dict:
    """Train the harness' own embedding net with the student's ``train_triplet`` (default
    hyperparameters unless given; correct losses in place of the submission's) and return the loss
    history, the held-out embeddings in eval mode, and X and y after training."""
    _seed_everything(seed)
    net = _mlp(X_train.shape[1], embedding_dim)
    before = [p.detach().clone() for p in net.parameters()]
    X = torch.tensor(X_train, dtype=torch.float32)
    y = torch.tensor(y_train, dtype=torch.int64)
    with _replaced(module, list(ORACLES)):
        history = module.train_triplet(net, X, y, seed=seed, **train_kwargs)
    net.eval()
    with torch.no_grad():
        embeddings = net(torch.tensor(X_test, dtype=torch.float32))
    changed = any(not torch.equal(b, p.detach()) for b, p in zip(before, net.parameters()))
    return {
        "history": [_number_or_type(v) for v in history] if isinstance(history, list)
        else {"unexpected_type": _type_name(history)},
        "embeddings": embeddings.numpy().copy(),
        "parameters_changed": changed,
        "X_after": X.numpy().copy(),
        "y_after": y.numpy().copy(),
    }
