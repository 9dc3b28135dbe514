"""The hidden dqn tests' oracles: the spec's targets and the tabular loss, in float64 from the float32
values the worker received."""

from __future__ import annotations

import numpy as np
from _dqn_util import f32


def td_formula(rewards: np.ndarray, next_q: np.ndarray, terminated: np.ndarray, gamma: float) -> np.ndarray:
    return f32(rewards) + gamma * (1.0 - terminated.astype(np.float64)) * f32(next_q).max(axis=1)


def double_formula(rewards: np.ndarray, next_online: np.ndarray, next_target: np.ndarray,
                   terminated: np.ndarray, gamma: float) -> np.ndarray:
    # np.argmax returns the first maximal index: the lowest index on ties, as the spec asks.
    best = f32(next_online).argmax(axis=1)
    value = f32(next_target)[np.arange(len(best)), best]
    return f32(rewards) + gamma * (1.0 - terminated.astype(np.float64)) * value


def tabular_loss(online: np.ndarray, target: np.ndarray, states: np.ndarray, actions: np.ndarray,
                 rewards: np.ndarray, next_states: np.ndarray, terminated: np.ndarray, gamma: float,
                 double: bool) -> tuple[float, np.ndarray, np.ndarray]:
    """Smooth L1 loss of a tabular DQN, its gradient with respect to the online table, and the
    TD errors (tests keep them away from the kink at |error| = 1)."""
    online, target = f32(online), f32(target)
    q = online[states, actions]
    if double:
        y = double_formula(rewards, online[next_states], target[next_states], terminated, gamma)
    else:
        y = td_formula(rewards, target[next_states], terminated, gamma)
    delta = q - y
    huber = np.where(np.abs(delta) < 1.0, 0.5 * delta**2, np.abs(delta) - 0.5)
    grad = np.zeros_like(online)
    np.add.at(grad, (states, actions), np.clip(delta, -1.0, 1.0) / len(delta))
    return float(huber.mean()), grad, delta


def away_from_kink(rewards: np.ndarray, delta: np.ndarray, gap: float = 1e-2) -> np.ndarray:
    """Shift the rewards of transitions whose TD error is within ``gap`` of +-1, where smooth L1
    switches formula, so that a float32 rounding cannot pick the other branch."""
    near = np.abs(np.abs(delta) - 1.0) < gap
    return np.where(near, rewards + 4 * gap * np.sign(delta), rewards)
