"""Metric learning with siamese and triplet networks (torch).

You implement distances, the contrastive and triplet losses, two ways of mining triplets
inside a batch, triplet sampling, a small embedding network, a training loop and the
recall@k metric. Distances are Euclidean. Every loss returns a 0-dim tensor that autograd
can differentiate, and its gradient must be finite everywhere, also where two embeddings
coincide (the derivative of sqrt at 0 is infinite: keep it out of the graph there).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def pairwise_distances(embeddings: torch.Tensor, squared: bool = False) -> torch.Tensor:
    """All Euclidean distances between the rows of ``embeddings``.

    Args:
        embeddings: (N, D) tensor.
        squared: return squared distances instead.

    Returns:
        (N, N) tensor ``d`` with ``d[i, j] = ||embeddings[i] - embeddings[j]||`` (squared when
        asked); the diagonal is exactly 0, and the gradient is finite also when two rows are
        identical.
    """
    # BEGIN SOLUTION
    diff = embeddings.unsqueeze(1) - embeddings.unsqueeze(0)
    d2 = (diff * diff).sum(dim=-1)
    if squared:
        return d2
    # sqrt'(0) is infinite: take the root of a harmless 1 where d2 is 0, then put the 0 back, so
    # the zero entries contribute a zero gradient instead of 0 * inf = nan.
    zero = d2 == 0
    d = torch.sqrt(torch.where(zero, torch.ones_like(d2), d2))
    return torch.where(zero, torch.zeros_like(d), d)
    # END SOLUTION


def contrastive_loss(
    emb1: torch.Tensor, emb2: torch.Tensor, is_same: torch.Tensor, margin: float = 1.0
) -> torch.Tensor:
    """Contrastive loss of pairs of embeddings.

    With ``d = ||emb1 - emb2||`` row-wise:
    ``0.5 * mean(is_same * d**2 + (1 - is_same) * relu(margin - d)**2)``.

    Args:
        emb1, emb2: (N, D) tensors.
        is_same: (N,) tensor, 0/1 numbers or booleans: 1 (True) where the pair shares a label.
        margin: distance beyond which a dissimilar pair costs nothing.

    Returns:
        0-dim tensor.
    """
    # BEGIN SOLUTION
    d = torch.linalg.vector_norm(emb1 - emb2, dim=1)
    same = is_same.to(d.dtype)
    terms = same * d**2 + (1 - same) * F.relu(margin - d) ** 2
    return 0.5 * terms.mean()
    # END SOLUTION


def triplet_loss(
    anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor, margin: float = 1.0
) -> torch.Tensor:
    """Triplet margin loss: ``mean(relu(d(a, p) - d(a, n) + margin))``.

    Agrees with ``torch.nn.functional.triplet_margin_loss(margin=margin, p=2, eps=0)`` wherever
    no distance is tiny; write it from the formula (the tests compare it with torch's).

    Args:
        anchor, positive, negative: (N, D) tensors; row i is one triplet.
        margin: how much closer than the negative the positive must be.

    Returns:
        0-dim tensor.
    """
    # BEGIN SOLUTION
    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)
    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)
    return F.relu(d_ap - d_an + margin).mean()
    # END SOLUTION


def batch_hard_triplet_loss(
    embeddings: torch.Tensor, labels: torch.Tensor, margin: float = 1.0
) -> torch.Tensor:
    """Batch-hard triplet loss (Hermans et al., 2017).

    For each anchor that has at least one positive (same label, not itself) and at least one
    negative (another label): ``relu(max positive distance - min negative distance + margin)``;
    the loss is the mean over those anchors. When no anchor qualifies the loss is 0, still as a
    tensor that ``.backward()`` accepts (for example ``embeddings.sum() * 0``).

    Args:
        embeddings: (N, D) tensor.
        labels: (N,) integer tensor.
        margin: triplet margin.

    Returns:
        0-dim tensor.
    """
    # BEGIN SOLUTION
    labels = torch.as_tensor(labels, device=embeddings.device)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool, device=embeddings.device)
    pos_mask = same & ~eye
    neg_mask = ~same
    valid = pos_mask.any(dim=1) & neg_mask.any(dim=1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    # Distances are >= 0, so 0 never wins a max and inf never wins a min.
    hardest_pos = torch.where(pos_mask, d, torch.zeros_like(d)).max(dim=1).values
    hardest_neg = torch.where(neg_mask, d, torch.full_like(d, float("inf"))).min(dim=1).values
    return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()
    # END SOLUTION


def batch_all_triplet_loss(
    embeddings: torch.Tensor, labels: torch.Tensor, margin: float = 1.0
) -> tuple[torch.Tensor, float]:
    """Batch-all triplet loss: every valid triplet of the batch.

    A triplet (a, p, n) is valid when a != p, labels[a] == labels[p] and labels[n] != labels[a].
    ``loss = sum of relu(d(a, p) - d(a, n) + margin) / (number of triplets whose term is
    > 1e-16)``, and 0 (a differentiable tensor) when no term is.

    Args:
        embeddings: (N, D) tensor.
        labels: (N,) integer tensor.
        margin: triplet margin.

    Returns:
        ``(loss, fraction_positive)``: loss a 0-dim tensor; fraction_positive a Python float, the
        number of triplets whose term is > 1e-16 divided by the number of valid triplets (0.0 when
        there are none).
    """
    # BEGIN SOLUTION
    labels = torch.as_tensor(labels, device=embeddings.device)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool, device=embeddings.device)
    # Enumerate (anchor, positive) pairs and broadcast over negatives: a tenth of the work of an
    # (N, N, N) cube on balanced batches.
    anchor, positive = (same & ~eye).nonzero(as_tuple=True)
    negative_mask = ~same[anchor]  # [pair, n]
    terms = F.relu(d[anchor, positive].unsqueeze(1) - d[anchor] + margin) * negative_mask
    num_valid = int(negative_mask.sum())
    num_positive = int((terms > 1e-16).sum())
    fraction = num_positive / num_valid if num_valid else 0.0
    if num_positive == 0:
        return embeddings.sum() * 0, fraction
    return terms.sum() / num_positive, fraction
    # END SOLUTION


def sample_triplets(
    labels: np.ndarray | torch.Tensor, num_triplets: int, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw random valid triplets of indices.

    Args:
        labels: (N,) integer labels, a numpy array or a torch tensor.
        num_triplets: how many triplets to draw.
        seed: seed of the random generator; None for unseeded.

    Returns:
        ``(anchor_idx, positive_idx, negative_idx)``: numpy integer arrays of length
        num_triplets with, for every i, ``anchor_idx[i] != positive_idx[i]``, the same label at
        both, and another label at ``negative_idx[i]``. Every class that can anchor a triplet
        should turn up as an anchor when num_triplets is large.

    Raises:
        ValueError: when no valid triplet exists.
    """
    # BEGIN SOLUTION
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2:
        raise ValueError("sample_triplets needs at least two classes")
    anchorable = np.flatnonzero(np.isin(labels, classes[counts >= 2]))
    if len(anchorable) == 0:
        raise ValueError("sample_triplets needs a class with at least two members")
    anchors = rng.choice(anchorable, size=num_triplets)
    positives = np.empty_like(anchors)
    negatives = np.empty_like(anchors)
    for i, a in enumerate(anchors):
        same = np.flatnonzero(labels == labels[a])
        positives[i] = rng.choice(same[same != a])
        negatives[i] = rng.choice(np.flatnonzero(labels != labels[a]))
    return anchors, positives, negatives
    # END SOLUTION


class EmbeddingNet(nn.Module):
    """A small MLP mapping (N, input_dim) inputs to (N, embedding_dim) embeddings.

    The architecture is your choice (two hidden layers of 64-128 ReLU units work well on the
    digits).
    """

    def __init__(self, input_dim: int = 64, embedding_dim: int = 16) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.layers = nn.Sequential(
            nn.Linear(input_dim, 128),
            nn.ReLU(),
            nn.Linear(128, 64),
            nn.ReLU(),
            nn.Linear(64, embedding_dim),
        )
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, input_dim) -> (N, embedding_dim)."""
        # BEGIN SOLUTION
        return self.layers(x)
        # END SOLUTION


class SiameseNet(nn.Module):
    """Two branches sharing one embedding network (the very same module, not a copy)."""

    def __init__(self, embedding_net: nn.Module) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.embedding_net = embedding_net
        # END SOLUTION

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Embeds both inputs with the shared network: returns ``(e1, e2)``."""
        # BEGIN SOLUTION
        return self.embedding_net(x1), self.embedding_net(x2)
        # END SOLUTION


def train_triplet(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    epochs: int = 20,
    batch_size: int = 128,
    lr: float = 1e-3,
    margin: float = 1.0,
    seed: int = 0,
) -> list[float]:
    """Train ``model`` in place with a triplet loss on shuffled mini-batches.

    Args:
        model: any module mapping (N, input_dim) to embeddings.
        X: (N, input_dim) float32 tensor.
        y: (N,) integer tensor of labels.
        epochs: passes over the data.
        batch_size: examples per mini-batch.
        lr: learning rate (Adam is a good choice).
        margin: triplet margin.
        seed: seeds the shuffling (and any other randomness of yours) so runs repeat.

    Returns:
        One float per epoch: the mean training loss of that epoch.
    """
    # BEGIN SOLUTION
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    n = len(X)
    history = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            loss, _fraction = batch_all_triplet_loss(model(X[batch]), y[batch], margin)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history.append(total / n)
    return history
    # END SOLUTION


def recall_at_k(embeddings: torch.Tensor, labels: torch.Tensor, k: int = 1) -> float:
    """Fraction of points whose k nearest other points include one of the same label.

    A point is never its own neighbour. Distances are Euclidean.

    Args:
        embeddings: (N, D) tensor.
        labels: (N,) integer tensor.
        k: how many neighbours to look at (k < N).

    Returns:
        A Python float in [0, 1].
    """
    # BEGIN SOLUTION
    embeddings = torch.as_tensor(embeddings).detach()
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    d.fill_diagonal_(float("inf"))
    neighbours = d.topk(k, dim=1, largest=False).indices
    hits = (labels[neighbours] == labels.unsqueeze(1)).any(dim=1)
    return float(hits.double().mean())
    # END SOLUTION
