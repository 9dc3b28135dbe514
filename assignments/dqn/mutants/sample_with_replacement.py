"""ReplayBuffer.sample draws indices with replacement."""


class ReplayBuffer(ReplayBuffer):
    def sample(self, batch_size):
        if batch_size > self.size:
            raise ValueError("not enough transitions")
        idx = self.rng.integers(0, self.size, size=batch_size)
        return {
            "obs": torch.from_numpy(self.obs[idx]),
            "action": torch.from_numpy(self.action[idx]),
            "reward": torch.from_numpy(self.reward[idx]),
            "next_obs": torch.from_numpy(self.next_obs[idx]),
            "terminated": torch.from_numpy(self.terminated[idx]),
        }
