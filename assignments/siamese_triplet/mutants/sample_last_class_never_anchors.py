"""sample_triplets picks the anchor's class with rng.integers(0, len(classes) - 1), as if the upper
bound were inclusive: the last eligible class never anchors a triplet."""


def sample_triplets(labels, num_triplets, seed=None):
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels).reshape(-1)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    eligible = classes[counts >= 2]
    if len(classes) < 2 or len(eligible) == 0:
        raise ValueError("no valid triplet")
    anchors = np.empty(num_triplets, dtype=np.int64)
    positives = np.empty_like(anchors)
    negatives = np.empty_like(anchors)
    for i in range(num_triplets):
        c = eligible[rng.integers(0, max(len(eligible) - 1, 1))]
        members = np.flatnonzero(labels == c)
        anchors[i], positives[i] = rng.choice(members, size=2, replace=False)
        negatives[i] = rng.choice(np.flatnonzero(labels != c))
    return anchors, positives, negatives
