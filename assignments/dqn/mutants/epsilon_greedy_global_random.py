"""epsilon_greedy draws from the global np.random instead of the Generator it is given."""

PATCH = [
    (
        "    if rng.random() < epsilon:\n"
        "        return int(rng.integers(q_values.shape[0]))\n",
        "    if np.random.rand() < epsilon:\n"
        "        return int(np.random.randint(q_values.shape[0]))\n",
    ),
]
