"""ReplayBuffer.sample draws indices with replacement."""

PATCH = [
    (
        "idx = self.rng.choice(self.size, size=batch_size, replace=False)",
        "idx = self.rng.integers(0, self.size, size=batch_size)",
    ),
]
