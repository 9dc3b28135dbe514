"""ReplayBuffer.sample draws among all capacity slots, also the empty ones of a buffer not yet full."""

PATCH = [
    (
        "idx = self.rng.choice(self.size, size=batch_size, replace=False)",
        "idx = self.rng.choice(self.capacity, size=batch_size, replace=False)",
    ),
]
