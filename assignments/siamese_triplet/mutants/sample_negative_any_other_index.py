"""sample_triplets draws the negative from every index but the anchor's, so it may share the
anchor's label."""


def sample_triplets(labels, num_triplets, seed=None):
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2 or counts.max() < 2:
        raise ValueError("no valid triplet")
    anchorable = np.flatnonzero(np.isin(labels, classes[counts >= 2]))
    anchors = rng.choice(anchorable, size=num_triplets)
    positives = np.empty_like(anchors)
    negatives = np.empty_like(anchors)
    everyone = np.arange(len(labels))
    for i, a in enumerate(anchors):
        same = np.flatnonzero(labels == labels[a])
        positives[i] = rng.choice(same[same != a])
        negatives[i] = rng.choice(everyone[everyone != a])
    return anchors, positives, negatives
