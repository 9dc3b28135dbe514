"""The grader's versions of the dqn lab's graded functions, named like the student's.

The probes swap them into the submission for one call (``student.probe(..., substitute=[...])``):
a test of dqn_loss runs with these targets, and train_dqn runs with every one of them, so that a
training test judges train_dqn alone and the network trained during grading is this QNetwork,
whose architecture the harness' forward pass (``_dqn_util.q_values``) assumes.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class ReplayBuffer:
    def __init__(self, capacity: int, obs_dim: int, seed: int | None = None) -> None:
        self.capacity = int(capacity)
        self.obs = np.zeros((self.capacity, obs_dim), dtype=np.float32)
        self.next_obs = np.zeros((self.capacity, obs_dim), dtype=np.float32)
        self.action = np.zeros(self.capacity, dtype=np.int64)
        self.reward = np.zeros(self.capacity, dtype=np.float32)
        self.terminated = np.zeros(self.capacity, dtype=np.float32)
        self.index = 0
        self.size = 0
        self.rng = np.random.default_rng(seed)

    def push(self, obs, action: int, reward: float, next_obs, terminated: bool) -> None:
        i = self.index
        self.obs[i] = obs
        self.action[i] = action
        self.reward[i] = reward
        self.next_obs[i] = next_obs
        self.terminated[i] = float(terminated)
        self.index = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def __len__(self) -> int:
        return self.size

    def sample(self, batch_size: int) -> dict[str, torch.Tensor]:
        if batch_size > self.size:
            raise ValueError(f"cannot sample {batch_size} transitions from {self.size} stored")
        idx = self.rng.choice(self.size, size=batch_size, replace=False)
        return {
            "obs": torch.from_numpy(self.obs[idx]),
            "action": torch.from_numpy(self.action[idx]),
            "reward": torch.from_numpy(self.reward[idx]),
            "next_obs": torch.from_numpy(self.next_obs[idx]),
            "terminated": torch.from_numpy(self.terminated[idx]),
        }


def linear_epsilon(step: int, start: float = 1.0, end: float = 0.05, duration: int = 10000) -> float:
    return start + (end - start) * min(1.0, step / duration)


def epsilon_greedy(q_values, epsilon: float, rng: np.random.Generator) -> int:
    if isinstance(q_values, torch.Tensor):
        q_values = q_values.detach().cpu().numpy()
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(q_values.shape[0]))
    return int(np.argmax(q_values))


def td_target(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
              gamma: float) -> torch.Tensor:
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * next_q_target.max(dim=1).values


def double_dqn_target(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                      terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    best = next_q_online.argmax(dim=1, keepdim=True)  # torch returns the first maximum
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * next_q_target.gather(1, best).squeeze(1)


class QNetwork(nn.Module):
    """Linear, ReLU, Linear, ReLU, Linear: the harness computes Q values from the parameters of
    exactly this stack, in this order. The test fixes the architecture: ``hidden_dim`` is accepted
    and ignored, which also bounds the size of the snapshots the worker sends back."""

    HIDDEN = 128

    def __init__(self, obs_dim: int, n_actions: int, hidden_dim: int = HIDDEN) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, self.HIDDEN), nn.ReLU(), nn.Linear(self.HIDDEN, self.HIDDEN),
                                 nn.ReLU(), nn.Linear(self.HIDDEN, n_actions))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.net(obs)


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
             double: bool = False) -> torch.Tensor:
    q_taken = q_net(batch["obs"]).gather(1, batch["action"].long().unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_q_target = target_net(batch["next_obs"])
        if double:
            target = double_dqn_target(batch["reward"], q_net(batch["next_obs"]), next_q_target,
                                       batch["terminated"], gamma)
        else:
            target = td_target(batch["reward"], next_q_target, batch["terminated"], gamma)
    return F.smooth_l1_loss(q_taken, target)


def update_target(target_net: nn.Module, online_net: nn.Module, tau: float = 1.0) -> None:
    with torch.no_grad():
        for p_target, p_online in zip(target_net.parameters(), online_net.parameters(), strict=True):
            if tau == 1.0:
                p_target.copy_(p_online)
            else:
                p_target.mul_(1.0 - tau).add_(p_online, alpha=tau)
