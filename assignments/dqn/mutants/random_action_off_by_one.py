"""epsilon_greedy draws its random action with rng.integers(0, A - 1), which never returns the last action."""

PATCH = [
    ("return int(rng.integers(q_values.shape[0]))", "return int(rng.integers(0, q_values.shape[0] - 1))"),
]
