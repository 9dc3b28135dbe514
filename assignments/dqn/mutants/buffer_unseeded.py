"""ReplayBuffer ignores its seed argument and samples with an unseeded Generator."""


class ReplayBuffer(ReplayBuffer):
    def __init__(self, capacity, obs_dim, seed=None):
        super().__init__(capacity, obs_dim, seed)
        self.rng = np.random.default_rng()
