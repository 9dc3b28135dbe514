"""ReplayBuffer.push stops advancing its write index at the end, so a full buffer keeps overwriting its last slot."""


class ReplayBuffer(ReplayBuffer):
    def push(self, obs, action, reward, next_obs, terminated):
        i = self.index
        self.obs[i] = obs
        self.action[i] = action
        self.reward[i] = reward
        self.next_obs[i] = next_obs
        self.terminated[i] = float(terminated)
        if self.index < self.capacity - 1:
            self.index += 1
        self.size = min(self.size + 1, self.capacity)
