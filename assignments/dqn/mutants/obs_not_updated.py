"""train_dqn forgets `obs = next_obs`: every transition of an episode starts from the reset observation."""

PATCH = [
    ("        obs = next_obs\n", ""),
]
