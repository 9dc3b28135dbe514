"""sample_triplets draws anchors only among the first half of the points, as if they were
sorted by class, so some classes never anchor a triplet."""


def sample_triplets(labels, num_triplets, seed=None):
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2 or counts.max() < 2:
        raise ValueError("no valid triplet")
    anchorable = np.flatnonzero(np.isin(labels, classes[counts >= 2]))
    anchorable = anchorable[: max(1, len(anchorable) // 2)]
    anchors = rng.choice(anchorable, size=num_triplets)
    positives = np.empty_like(anchors)
    negatives = np.empty_like(anchors)
    for i, a in enumerate(anchors):
        same = np.flatnonzero(labels == labels[a])
        positives[i] = rng.choice(same[same != a])
        negatives[i] = rng.choice(np.flatnonzero(labels != labels[a]))
    return anchors, positives, negatives
