"""ReplayBuffer stores `terminated` in a bool array and returns it as a bool tensor, not float32."""


class ReplayBuffer(ReplayBuffer):
    def __init__(self, capacity, obs_dim, seed=None):
        super().__init__(capacity, obs_dim, seed)
        self.terminated = np.zeros(self.capacity, dtype=bool)

    def push(self, obs, action, reward, next_obs, terminated):
        i = self.index
        self.obs[i] = obs
        self.action[i] = action
        self.reward[i] = reward
        self.next_obs[i] = next_obs
        self.terminated[i] = terminated
        self.index = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)
