"""ReplayBuffer.sample takes a prefix of a permutation and silently returns fewer rows when asked for too many."""


class ReplayBuffer(ReplayBuffer):
    def sample(self, batch_size):
        idx = self.rng.permutation(self.size)[:batch_size]
        return {
            "obs": torch.from_numpy(self.obs[idx]),
            "action": torch.from_numpy(self.action[idx]),
            "reward": torch.from_numpy(self.reward[idx]),
            "next_obs": torch.from_numpy(self.next_obs[idx]),
            "terminated": torch.from_numpy(self.terminated[idx]),
        }
