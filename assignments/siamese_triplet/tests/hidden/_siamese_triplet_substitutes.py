"""Correct versions of the siamese_triplet functions that others run through: a test of one
function (mining on ``pairwise_distances``, ``train_triplet`` on the losses and sampling) puts
these in place of the submission's own for its probe call (``student.probe(substitute=...)``), so
that only the function under test can lose its points. Hidden: they never ship to students.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def pairwise_distances(embeddings: torch.Tensor, squared: bool = False) -> torch.Tensor:
    d2 = ((embeddings.unsqueeze(1) - embeddings.unsqueeze(0)) ** 2).sum(-1)
    if squared:
        return d2
    zero = d2 == 0  # keep sqrt'(0) = inf out of the graph
    return torch.where(zero, torch.zeros_like(d2), torch.sqrt(torch.where(zero, torch.ones_like(d2), d2)))


def contrastive_loss(emb1: torch.Tensor, emb2: torch.Tensor, is_same: torch.Tensor,
                     margin: float = 1.0) -> torch.Tensor:
    d = torch.linalg.vector_norm(emb1 - emb2, dim=1)
    same = torch.as_tensor(is_same).to(d.dtype)
    return 0.5 * (same * d**2 + (1 - same) * F.relu(margin - d) ** 2).mean()


def triplet_loss(anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor,
                 margin: float = 1.0) -> torch.Tensor:
    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)
    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)
    return F.relu(d_ap - d_an + margin).mean()


def _masks(embeddings: torch.Tensor, labels: Any) -> tuple[torch.Tensor, torch.Tensor]:
    labels = torch.as_tensor(labels, device=embeddings.device)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    return same & ~torch.eye(len(labels), dtype=torch.bool, device=embeddings.device), ~same


def batch_hard_triplet_loss(embeddings: torch.Tensor, labels: Any, margin: float = 1.0) -> torch.Tensor:
    d = pairwise_distances(embeddings)
    pos, neg = _masks(embeddings, labels)
    valid = pos.any(1) & neg.any(1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    hardest_pos = torch.where(pos, d, torch.zeros_like(d)).max(1).values
    hardest_neg = torch.where(neg, d, torch.full_like(d, float("inf"))).min(1).values
    return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()


def batch_all_triplet_loss(embeddings: torch.Tensor, labels: Any, margin: float = 1.0) -> tuple[torch.Tensor, float]:
    d = pairwise_distances(embeddings)
    pos, neg = _masks(embeddings, labels)
    anchor, positive_idx = pos.nonzero(as_tuple=True)  # (anchor, positive) pairs, broadcast over negatives
    valid = neg[anchor]
    terms = F.relu(d[anchor, positive_idx].unsqueeze(1) - d[anchor] + margin) * valid
    positive = int((terms > 1e-16).sum())
    fraction = positive / int(valid.sum()) if bool(valid.any()) else 0.0
    return (terms.sum() / positive if positive else embeddings.sum() * 0), fraction


def sample_triplets(labels: Any, num_triplets: int, seed: int | None = None) -> tuple[np.ndarray, ...]:
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


def recall_at_k(embeddings: torch.Tensor, labels: Any, k: int = 1) -> float:
    d = pairwise_distances(torch.as_tensor(embeddings).detach())
    d.fill_diagonal_(float("inf"))
    labels = torch.as_tensor(labels)
    return float((labels[d.topk(k, dim=1, largest=False).indices] == labels.unsqueeze(1)).any(1).double().mean())


class SiameseNet(nn.Module):
    def __init__(self, embedding_net: nn.Module) -> None:
        super().__init__()
        self.embedding_net = embedding_net

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.embedding_net(x1), self.embedding_net(x2)
