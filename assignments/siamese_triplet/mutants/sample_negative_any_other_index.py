"""sample_triplets draws the negative from every index but the anchor's, so it may share the
anchor's label."""

PATCH = [
    (
        "negatives[i] = rng.choice(np.flatnonzero(labels != labels[a]))",
        "negatives[i] = rng.choice(np.flatnonzero(np.arange(len(labels)) != a))",
    ),
]
