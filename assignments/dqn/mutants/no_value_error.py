"""ReplayBuffer.sample takes a prefix of a permutation and silently returns fewer rows when asked for too many."""

PATCH = [
    (
        "        if batch_size > self.size:\n"
        '            raise ValueError(f"cannot sample {batch_size} transitions from {self.size} stored")\n'
        "        idx = self.rng.choice(self.size, size=batch_size, replace=False)\n",
        "        idx = self.rng.permutation(self.size)[:batch_size]\n",
    ),
]
