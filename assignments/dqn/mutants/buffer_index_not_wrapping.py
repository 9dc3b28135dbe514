"""ReplayBuffer.push stops advancing its write index at the end, so a full buffer keeps overwriting its last slot."""

PATCH = [
    ("self.index = (i + 1) % self.capacity", "self.index = min(i + 1, self.capacity - 1)"),
]
