"""A correct siamese_triplet lab in another style: distances from the Gram matrix, a hand-made
safe square root, per-anchor Python loops for batch-hard mining, the full (N, N, N) cube for
batch-all, class-first triplet sampling, a different network, and random-triplet training. It must
get full marks: the tests may not depend on the reference's choices."""

import numpy as np
import torch
import torch.nn as nn


def _safe_sqrt(x):
    positive = x > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, x, torch.ones_like(x))), torch.zeros_like(x))


def pairwise_distances(embeddings, squared=False):
    gram = embeddings @ embeddings.T
    norms = torch.diagonal(gram)
    d2 = (norms.unsqueeze(0) + norms.unsqueeze(1) - 2 * gram).clamp(min=0)
    d2 = d2 * (1 - torch.eye(len(embeddings), dtype=embeddings.dtype))
    return d2 if squared else _safe_sqrt(d2)


def _row_norm(x):
    return _safe_sqrt((x * x).sum(dim=1))


def contrastive_loss(emb1, emb2, is_same, margin=1.0):
    d = _row_norm(emb1 - emb2)
    same = is_same.bool()
    per_pair = torch.where(same, d * d, torch.clamp(margin - d, min=0) ** 2)
    return per_pair.sum() / (2 * len(d))


def triplet_loss(anchor, positive, negative, margin=1.0):
    stacked = torch.stack([anchor - positive, anchor - negative])  # (2, N, D)
    d = _safe_sqrt((stacked**2).sum(dim=2))
    return torch.clamp(d[0] - d[1] + margin, min=0).sum() / len(anchor)


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    labels = [int(v) for v in labels]
    d = pairwise_distances(embeddings)
    terms = []
    for a, la in enumerate(labels):
        pos = [p for p, lp in enumerate(labels) if lp == la and p != a]
        neg = [n for n, ln in enumerate(labels) if ln != la]
        if pos and neg:
            terms.append(torch.clamp(d[a, pos].max() - d[a, neg].min() + margin, min=0))
    if not terms:
        return (embeddings * 0).sum()
    return torch.stack(terms).mean()


def batch_all_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    n = len(labels)
    d = pairwise_distances(embeddings)
    same = labels.view(-1, 1) == labels.view(1, -1)
    not_self = ~torch.eye(n, dtype=torch.bool)
    valid = (same & not_self).view(n, n, 1) & (~same).view(n, 1, n)
    cube = d.view(n, n, 1) - d.view(n, 1, n) + margin
    terms = torch.where(valid, torch.clamp(cube, min=0), torch.zeros_like(cube))
    positive = terms > 1e-16
    count = positive.sum().item()
    total = valid.sum().item()
    fraction = float(count) / total if total > 0 else 0.0
    loss = terms.sum() / count if count > 0 else terms.sum() * 0.0
    return loss, fraction


def sample_triplets(labels, num_triplets, seed=None):
    labels = np.array(labels.tolist() if isinstance(labels, torch.Tensor) else labels)
    rng = np.random.default_rng(seed)
    by_class = {c: np.flatnonzero(labels == c) for c in np.unique(labels)}
    eligible = [c for c, members in by_class.items() if len(members) >= 2]
    if not eligible or len(by_class) < 2:
        raise ValueError("no valid triplet: need a class with two members and another class")
    out = np.zeros((3, num_triplets), dtype=np.int64)
    for i in range(num_triplets):
        c = eligible[rng.integers(len(eligible))]
        out[0, i], out[1, i] = rng.permutation(by_class[c])[:2]
        out[2, i] = rng.choice(np.flatnonzero(labels != c))
    return out[0], out[1], out[2]


class EmbeddingNet(nn.Module):
    def __init__(self, input_dim=64, embedding_dim=16):
        super().__init__()
        self.hidden = nn.Linear(input_dim, 256)
        self.out = nn.Linear(256, embedding_dim)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


class SiameseNet(nn.Module):
    def __init__(self, embedding_net):
        super().__init__()
        self.net = embedding_net

    def forward(self, x1, x2):
        both = self.net(torch.cat([x1, x2]))
        return both[: len(x1)], both[len(x1):]


def train_triplet(model, X, y, epochs=20, batch_size=128, lr=1e-3, margin=1.0, seed=0):
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    labels = y.numpy()
    losses = []
    for _epoch in range(epochs):
        order = rng.permutation(len(X))
        batch_losses = []
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            try:
                a, p, n = sample_triplets(labels[idx], 2 * len(idx), seed=int(rng.integers(2**31)))
            except ValueError:
                continue
            emb = model(X[idx])
            loss = triplet_loss(emb[a], emb[p], emb[n], margin)
            opt.zero_grad()
            loss.backward()
            opt.step()
            batch_losses.append(loss.item())
        losses.append(float(np.mean(batch_losses)) if batch_losses else 0.0)
    return losses


def recall_at_k(embeddings, labels, k=1):
    e = embeddings.detach().double().numpy()
    lab = np.asarray(labels)
    hits = 0
    for i in range(len(e)):
        dist = np.sqrt(((e - e[i]) ** 2).sum(1))
        dist[i] = np.inf
        nearest = np.argsort(dist)[:k]
        hits += bool(np.any(lab[nearest] == lab[i]))
    return hits / len(e)
