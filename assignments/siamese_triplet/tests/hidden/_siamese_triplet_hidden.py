"""The hidden siamese_triplet tests' oracles: the contract's losses and recall@k in numpy float64,
by brute force where that is clearer (every valid triplet enumerated)."""

from __future__ import annotations

import numpy as np
from _siamese_triplet_util import distances, hard_anchors, valid_triplets


def contrastive(e1: np.ndarray, e2: np.ndarray, same: np.ndarray, margin: float) -> float:
    d = np.sqrt(((e1 - e2) ** 2).sum(1))
    same = same.astype(np.float64)
    return float(0.5 * np.mean(same * d**2 + (1 - same) * np.maximum(margin - d, 0) ** 2))


def triplet(a: np.ndarray, p: np.ndarray, n: np.ndarray, margin: float) -> float:
    d_ap = np.sqrt(((a - p) ** 2).sum(1))
    d_an = np.sqrt(((a - n) ** 2).sum(1))
    return float(np.mean(np.maximum(d_ap - d_an + margin, 0)))


def triplet_with_grads(a: np.ndarray, p: np.ndarray, n: np.ndarray, margin: float) -> tuple[float, list]:
    """torch's triplet_margin_loss(p=2, eps=0) and its gradients with respect to a, p and n, in closed
    form: mean over rows of relu(||a - p|| - ||a - n|| + margin), for inputs with no distance near 0."""
    to_p, to_n = a - p, a - n
    d_ap = np.sqrt((to_p**2).sum(1, keepdims=True))
    d_an = np.sqrt((to_n**2).sum(1, keepdims=True))
    active = (d_ap - d_an + margin > 0) / len(a)
    grad_p, grad_n = -active * to_p / d_ap, active * to_n / d_an
    return triplet(a, p, n, margin), [-(grad_p + grad_n), grad_p, grad_n]


def batch_hard(e: np.ndarray, labels: np.ndarray, margin: float) -> float:
    d = distances(e)
    terms = [max(d[a, pos].max() - d[a, neg].min() + margin, 0.0) for a, pos, neg in hard_anchors(labels)]
    return float(np.mean(terms)) if terms else 0.0


def batch_all(e: np.ndarray, labels: np.ndarray, margin: float) -> tuple[float, float]:
    a, p, n = valid_triplets(labels)
    if len(a) == 0:
        return 0.0, 0.0
    d = distances(e)
    terms = np.maximum(d[a, p] - d[a, n] + margin, 0)
    positive = int(np.count_nonzero(terms > 1e-16))
    return (float(terms.sum() / positive) if positive else 0.0), positive / len(a)


def recall(e: np.ndarray, labels: np.ndarray, k: int) -> float:
    d = distances(e)
    np.fill_diagonal(d, np.inf)
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    return float(np.mean([(labels[nearest[i]] == labels[i]).any() for i in range(len(labels))]))
