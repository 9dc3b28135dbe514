"""ReplayBuffer ignores its seed argument and samples with an unseeded Generator."""

PATCH = [
    ("self.rng = np.random.default_rng(seed)", "self.rng = np.random.default_rng()"),
]
