"""Deep Q-learning: a replay buffer, TD targets, Double DQN and an agent that solves CartPole.

You write, in this order:

1. ``ReplayBuffer``: a fixed-capacity ring buffer of transitions with uniform sampling.
2. ``linear_epsilon`` and ``epsilon_greedy``: the exploration schedule and the behaviour policy.
3. ``td_target`` and ``double_dqn_target``: the regression targets of DQN and of Double DQN.
4. ``QNetwork``: a small MLP mapping an observation to one Q value per action.
5. ``dqn_loss`` and ``update_target``: the loss of one minibatch and the target-network update.
6. ``train_dqn``: the training loop that puts everything together.

Conventions: tensors are float32 (actions int64); a batch is the dict that
``ReplayBuffer.sample`` returns; ``terminated`` may be a bool or a 0/1 float tensor. Only a
*terminated* transition (the episode really ended: the pole fell, the goal was reached) stops the
bootstrap; a *truncated* one (a time limit cut the episode short) still bootstraps from its next
observation.

Provided, not written by you: ``ChainEnv`` (a tiny MDP registered as ``CHAIN_ENV_ID`` and
``CHAIN_ONE_STEP_ENV_ID`` for fast experiments) and ``plot_returns``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# ----------------------------------------------------------------------------------------------
# Provided: a small chain MDP for fast experiments (do not modify).
# ----------------------------------------------------------------------------------------------

CHAIN_ENV_ID = "ChainMDP-v0"
CHAIN_ONE_STEP_ENV_ID = "ChainMDPOneStep-v0"


class ChainEnv(gym.Env):
    """A chain of ``n_states`` positions; the observation is the one-hot position (float32).

    Action 1 moves one position to the right with reward 0; from the last position it reaches
    the goal instead: reward 1, terminated. Action 0 quits: reward ``quit_reward``, terminated.
    With ``gamma ** (n_states - 1) > quit_reward`` the optimal policy moves right everywhere.

    An episode starts at position 0 (or at a uniformly random position when ``random_start``)
    and is truncated after ``max_steps`` steps. ``ChainMDP-v0`` (start at 0, at most 4 steps
    anyway) checks that an agent learns at all; ``ChainMDPOneStep-v0`` truncates every episode
    after one step, so the value of moving right reaches the agent only by bootstrapping through
    truncated transitions: an agent that treats truncation as termination learns to quit.
    """

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(
        self,
        n_states: int = 4,
        quit_reward: float = 0.5,
        max_steps: int = 20,
        random_start: bool = False,
    ) -> None:
        self.n_states = n_states
        self.quit_reward = quit_reward
        self.max_steps = max_steps
        self.random_start = random_start
        self.observation_space = gym.spaces.Box(0.0, 1.0, (n_states,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(2)
        self._pos = 0
        self._steps = 0

    def _obs(self) -> np.ndarray:
        obs = np.zeros(self.n_states, dtype=np.float32)
        obs[self._pos] = 1.0
        return obs

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        self._pos = int(self.np_random.integers(self.n_states)) if self.random_start else 0
        self._steps = 0
        return self._obs(), {}

    def step(self, action):
        self._steps += 1
        if int(action) == 0:
            reward, terminated = self.quit_reward, True
        elif self._pos == self.n_states - 1:
            reward, terminated = 1.0, True
        else:
            self._pos += 1
            reward, terminated = 0.0, False
        truncated = not terminated and self._steps >= self.max_steps
        return self._obs(), float(reward), terminated, truncated, {}


def _register_chains() -> None:
    # Re-importing the module (autoreload, a notebook cell run twice) must not re-register.
    if CHAIN_ENV_ID not in gym.registry:
        gym.register(id=CHAIN_ENV_ID, entry_point=ChainEnv, kwargs={"max_steps": 20})
    if CHAIN_ONE_STEP_ENV_ID not in gym.registry:
        gym.register(
            id=CHAIN_ONE_STEP_ENV_ID,
            entry_point=ChainEnv,
            kwargs={"max_steps": 1, "random_start": True},
        )


_register_chains()


def plot_returns(returns: Sequence[float], window: int = 10, path: str | None = None):
    """Plot episode returns and their rolling mean over ``window`` episodes.

    Saves the figure to ``path`` when given; returns the matplotlib Figure.
    """
    # Imported here so that importing this module (and grading it) never needs matplotlib.
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    returns = np.asarray(returns, dtype=np.float64)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(np.arange(1, len(returns) + 1), returns, alpha=0.4, label="episode return")
    if len(returns) >= window:
        rolling = np.convolve(returns, np.ones(window) / window, mode="valid")
        ax.plot(np.arange(window, len(returns) + 1), rolling, label=f"mean of last {window}")
    ax.set_xlabel("episode")
    ax.set_ylabel("return")
    ax.legend()
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig


# ----------------------------------------------------------------------------------------------
# Your code.
# ----------------------------------------------------------------------------------------------


class ReplayBuffer:
    """A ring buffer of the last ``capacity`` transitions.

    ``ReplayBuffer(capacity, obs_dim, seed=None)``: ``seed`` seeds the buffer's own random
    generator (``None``: unseeded), so that two buffers built with the same seed and given the
    same pushes return the same samples.

    - ``push(obs, action, reward, next_obs, terminated)`` stores one transition: ``obs`` and
      ``next_obs`` are arrays of shape (obs_dim,) (numpy, as gymnasium returns them), ``action``
      an int, ``reward`` a float, ``terminated`` a bool. Once the buffer holds ``capacity``
      transitions, each push overwrites the oldest one.
    - ``len(buffer)`` is the number of transitions stored (at most ``capacity``).
    - ``sample(batch_size)`` returns a dict of torch tensors: ``obs`` (B, obs_dim) float32,
      ``action`` (B,) int64, ``reward`` (B,) float32, ``next_obs`` (B, obs_dim) float32,
      ``terminated`` (B,) float32 (0.0 or 1.0), row i of each being the same transition. The B
      transitions are drawn uniformly *without replacement* among those stored. Raises
      ``ValueError`` when ``batch_size > len(buffer)``.

    Hint: preallocate one numpy array per field and keep a write index that wraps around.
    """

    def __init__(self, capacity: int, obs_dim: int, seed: int | None = None) -> None:
        raise NotImplementedError('TODO: implement ReplayBuffer.__init__')

    def push(self, obs, action: int, reward: float, next_obs, terminated: bool) -> None:
        """Store one transition, overwriting the oldest one when the buffer is full."""
        raise NotImplementedError('TODO: implement ReplayBuffer.push')

    def __len__(self) -> int:
        raise NotImplementedError('TODO: implement ReplayBuffer.__len__')

    def sample(self, batch_size: int) -> dict[str, torch.Tensor]:
        """``batch_size`` distinct stored transitions, uniformly at random, as tensors."""
        raise NotImplementedError('TODO: implement ReplayBuffer.sample')


def linear_epsilon(step: int, start: float = 1.0, end: float = 0.05, duration: int = 10000) -> float:
    """Exploration rate at ``step``: from ``start`` down to ``end`` linearly over ``duration``
    steps, then constant: ``start + (end - start) * min(1, step / duration)``."""
    raise NotImplementedError('TODO: implement linear_epsilon')


def epsilon_greedy(q_values, epsilon: float, rng: np.random.Generator) -> int:
    """The epsilon-greedy action for one observation.

    ``q_values``: a (A,) torch tensor or numpy array. With probability ``epsilon`` return an
    action drawn uniformly from all A actions with the numpy Generator ``rng``; otherwise the
    greedy action, the argmax of ``q_values`` (the lowest index when several are maximal).
    Returns a Python int.
    """
    raise NotImplementedError('TODO: implement epsilon_greedy')


def td_target(
    rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor, gamma: float
) -> torch.Tensor:
    """The DQN target of each transition, shape (B,):
    ``rewards + gamma * (1 - terminated) * max_a next_q_target[:, a]``.

    ``rewards`` (B,), ``next_q_target`` (B, A) the target network's Q values of the next
    observations, ``terminated`` (B,) bool or 0/1 float. A terminated transition does not
    bootstrap; a truncated one is not terminated and does.
    """
    raise NotImplementedError('TODO: implement td_target')


def double_dqn_target(
    rewards: torch.Tensor,
    next_q_online: torch.Tensor,
    next_q_target: torch.Tensor,
    terminated: torch.Tensor,
    gamma: float,
) -> torch.Tensor:
    """The Double DQN target, shape (B,): the next action is chosen by the online network
    (``argmax next_q_online``, lowest index on ties) and evaluated by the target network:
    ``rewards + gamma * (1 - terminated) * next_q_target[i, argmax_a next_q_online[i, a]]``.
    """
    raise NotImplementedError('TODO: implement double_dqn_target')


class QNetwork(nn.Module):
    """An MLP from observations (B, obs_dim) to Q values (B, n_actions).

    ``QNetwork(obs_dim, n_actions, hidden_dim=128)``; the architecture is your choice (two
    hidden layers of ``hidden_dim`` with ReLU work well).
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden_dim: int = 128) -> None:
        super().__init__()
        raise NotImplementedError('TODO: implement QNetwork.__init__')

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError('TODO: implement QNetwork.forward')


def dqn_loss(
    q_net: nn.Module,
    target_net: nn.Module,
    batch: dict[str, torch.Tensor],
    gamma: float,
    double: bool = False,
) -> torch.Tensor:
    """The DQN loss of one minibatch, a 0-dim tensor.

    Smooth L1 (Huber, beta 1, mean over the batch) between ``Q(s, a)`` of the taken actions,
    ``q_net(batch["obs"])`` at ``batch["action"]``, and the target: ``td_target`` of the target
    network's Q values of ``batch["next_obs"]``, or, when ``double``, ``double_dqn_target`` with
    the next action chosen by ``q_net``. The target carries no gradient: ``backward()`` reaches
    ``q_net`` only through Q(s, a) and never reaches ``target_net``.
    """
    raise NotImplementedError('TODO: implement dqn_loss')


def update_target(target_net: nn.Module, online_net: nn.Module, tau: float = 1.0) -> None:
    """In place, for every parameter: ``target <- tau * online + (1 - tau) * target``.

    ``tau=1`` copies the online network (a hard update); a small tau (0.005) is Polyak averaging.
    ``online_net`` is left unchanged.
    """
    raise NotImplementedError('TODO: implement update_target')


def train_dqn(
    env_id: str = "CartPole-v1", total_steps: int = 40000, seed: int = 0, double: bool = False
) -> tuple[QNetwork, list[float]]:
    """Train a DQN agent on ``env_id`` for ``total_steps`` environment steps.

    Returns the trained online ``QNetwork`` and the return (sum of rewards) of every episode that
    finished during training, terminated or truncated, in order. ``seed`` makes the run
    reproducible (seed torch, your numpy Generator, the buffer and ``env.reset(seed=seed)`` on
    the first reset). ``double`` selects the Double DQN target.

    Any gymnasium id with a one-dimensional Box observation and a Discrete action space must
    work. The recommended hyperparameters (see the instructions) solve CartPole-v1 within
    40000 steps in well under a minute on a laptop CPU.
    """
    raise NotImplementedError('TODO: implement train_dqn')
