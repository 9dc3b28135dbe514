"""A correct dqn lab in another style: a list of tuples as the ring buffer, torch.where targets,
F.huber_loss, state_dict arithmetic for the target update, a per-episode training loop with soft
(Polyak) target updates, other hyperparameters. It must get full marks: the tests may not depend
on the reference's choices."""

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class ChainEnv(gym.Env):
    """The lab's provided chain MDP (kept so that the file registers the same ids)."""

    def __init__(self, n_states=4, quit_reward=0.5, max_steps=20, random_start=False):
        self.n_states, self.quit_reward = n_states, quit_reward
        self.max_steps, self.random_start = max_steps, random_start
        self.observation_space = gym.spaces.Box(0.0, 1.0, (n_states,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(2)
        self._pos = self._steps = 0

    def _obs(self):
        return np.eye(self.n_states, dtype=np.float32)[self._pos]

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self._pos = int(self.np_random.integers(self.n_states)) if self.random_start else 0
        self._steps = 0
        return self._obs(), {}

    def step(self, action):
        self._steps += 1
        if int(action) == 0:
            return self._obs(), self.quit_reward, True, False, {}
        if self._pos == self.n_states - 1:
            return self._obs(), 1.0, True, False, {}
        self._pos += 1
        return self._obs(), 0.0, False, self._steps >= self.max_steps, {}


_CHAINS = (("ChainMDP-v0", {"max_steps": 20}), ("ChainMDPOneStep-v0", {"max_steps": 1, "random_start": True}))
for _id, _kwargs in _CHAINS:
    if _id not in gym.registry:
        gym.register(id=_id, entry_point=ChainEnv, kwargs=_kwargs)


class ReplayBuffer:
    def __init__(self, capacity, obs_dim, seed=None):
        self.capacity = capacity
        self.obs_dim = obs_dim
        self.storage = []
        self.position = 0
        self.rng = np.random.default_rng(seed)

    def push(self, obs, action, reward, next_obs, terminated):
        item = (np.array(obs, dtype=np.float32), int(action), float(reward), np.array(next_obs, dtype=np.float32),
                bool(terminated))
        if len(self.storage) < self.capacity:
            self.storage.append(item)
        else:
            self.storage[self.position] = item
        self.position = (self.position + 1) % self.capacity

    def __len__(self):
        return len(self.storage)

    def sample(self, batch_size):
        if batch_size > len(self.storage):
            raise ValueError("batch_size exceeds the number of stored transitions")
        picked = [self.storage[i] for i in self.rng.permutation(len(self.storage))[:batch_size]]
        obs, action, reward, next_obs, terminated = zip(*picked)
        return {
            "obs": torch.tensor(np.stack(obs)),
            "action": torch.tensor(action, dtype=torch.int64),
            "reward": torch.tensor(reward, dtype=torch.float32),
            "next_obs": torch.tensor(np.stack(next_obs)),
            "terminated": torch.tensor(terminated, dtype=torch.float32),
        }


def linear_epsilon(step, start=1.0, end=0.05, duration=10000):
    fraction = step / duration
    return end if fraction >= 1 else start + fraction * (end - start)


def epsilon_greedy(q_values, epsilon, rng):
    q = torch.as_tensor(q_values)
    if rng.uniform() < epsilon:
        return int(rng.choice(q.shape[0]))
    return int(torch.argmax(q).item())


def td_target(rewards, next_q_target, terminated, gamma):
    best = next_q_target.amax(dim=1)
    return torch.where(terminated.bool(), rewards, rewards + gamma * best)


def double_dqn_target(rewards, next_q_online, next_q_target, terminated, gamma):
    rows = torch.arange(next_q_online.shape[0])
    value = next_q_target[rows, next_q_online.argmax(dim=1)]
    return rewards + gamma * value * (~terminated.bool()).to(value.dtype)


class QNetwork(nn.Module):
    def __init__(self, obs_dim, n_actions, hidden_dim=128):
        super().__init__()
        self.hidden1 = nn.Linear(obs_dim, hidden_dim)
        self.hidden2 = nn.Linear(hidden_dim, hidden_dim // 2)
        self.head = nn.Linear(hidden_dim // 2, n_actions)

    def forward(self, obs):
        return self.head(F.relu(self.hidden2(F.relu(self.hidden1(obs)))))


def dqn_loss(q_net, target_net, batch, gamma, double=False):
    q = q_net(batch["obs"])
    q_taken = q[torch.arange(q.shape[0]), batch["action"]]
    next_target = target_net(batch["next_obs"]).detach()
    if double:
        target = double_dqn_target(batch["reward"], q_net(batch["next_obs"]).detach(), next_target,
                                   batch["terminated"], gamma)
    else:
        target = td_target(batch["reward"], next_target, batch["terminated"], gamma)
    return F.huber_loss(q_taken, target.detach(), delta=1.0)


def update_target(target_net, online_net, tau=1.0):
    online = online_net.state_dict()
    blended = {k: tau * online[k] + (1 - tau) * v for k, v in target_net.state_dict().items()}
    target_net.load_state_dict(blended)


def train_dqn(env_id="CartPole-v1", total_steps=40000, seed=0, double=False):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed + 1000)
    env = gym.make(env_id)
    obs_dim, n_actions = env.observation_space.shape[0], env.action_space.n
    q_net, target_net = QNetwork(obs_dim, n_actions), QNetwork(obs_dim, n_actions)
    update_target(target_net, q_net)
    optimizer = torch.optim.Adam(q_net.parameters(), lr=5e-4)
    buffer = ReplayBuffer(20000, obs_dim, seed=seed)
    returns, step, first = [], 0, True
    while step < total_steps:
        obs, _ = env.reset(seed=seed if first else None)
        first, done, total = False, False, 0.0
        while not done and step < total_steps:
            with torch.no_grad():
                q = q_net(torch.tensor(obs, dtype=torch.float32)[None])[0]
            action = epsilon_greedy(q, linear_epsilon(step, 1.0, 0.02, 10000), rng)
            next_obs, reward, terminated, truncated, _ = env.step(action)
            buffer.push(obs, action, reward, next_obs, terminated)
            obs, total, step = next_obs, total + reward, step + 1
            done = terminated or truncated
            if len(buffer) >= 500 and step % 2 == 0:
                loss = dqn_loss(q_net, target_net, buffer.sample(128), 0.99, double=double)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                update_target(target_net, q_net, tau=0.01)
        if done:
            returns.append(float(total))
    return q_net, returns
