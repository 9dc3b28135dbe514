"""epsilon_greedy breaks ties between maximal Q values at random instead of taking the lowest index."""

PATCH = [
    ("return int(np.argmax(q_values))", "return int(rng.choice(np.flatnonzero(q_values == q_values.max())))"),
]
