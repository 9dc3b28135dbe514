"""Helpers shared by the optimizers lab's public and hidden tests (harness side).

A rule is driven one step per call: the harness sends w, dw and the config the rule returned last
time, checks what comes back, and computes the next gradient itself from the returned w. Only the
returned w is ever judged; the config is passed back untouched, whatever the rule keeps in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from autograder.toolkit import Mismatch, Student, assert_close, expect_array
from autograder.toolkit import strategies as dst

RULES = ("sgd", "sgd_momentum", "rmsprop", "adagrad", "adam", "adamw")

# The documented defaults (shared/spec/labs.md).
DEFAULTS: dict[str, dict[str, Any]] = {
    "sgd": {"learning_rate": 1e-2, "weight_decay": 0.0},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-10},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 0.0},
    "adamw": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2},
}

Gradient = Callable[[np.ndarray, int], np.ndarray]


def unpack_step(result: Any, rule: str, shape: tuple[int, ...], step: int) -> tuple[np.ndarray, Any]:
    """``(next_w, config)`` from what a rule returned, next_w checked (ndarray, shape, finite)."""
    if not isinstance(result, tuple) or len(result) != 2:
        got = f"a tuple of {len(result)}" if isinstance(result, tuple) else f"a {type(result).__name__}"
        raise Mismatch(f"{rule} result", f"expected a tuple (next_w, config), got {got}", function=rule)
    next_w, config = result
    if not isinstance(config, dict):
        raise Mismatch(f"{rule} config", f"expected the config dict back, got a {type(config).__name__}",
                       function=rule)
    name = "next_w" if step == 0 else f"next_w after {step + 1} steps"
    return expect_array(next_w, shape, name=name, function=rule), config


def trajectory(student: Student, rule: str, w0: np.ndarray, config: dict | None, gradient: Gradient,
               steps: int) -> np.ndarray:
    """The weights after each of ``steps`` calls of ``rule``, shape (steps, *w0.shape).

    ``config`` (hyperparameters only, or None) is sent on the first call, then whatever the rule
    returned. ``gradient(w, t)`` gives dw at step t from the weights the rule returned.
    """
    fn = getattr(student, rule)
    w = w0.copy()
    config = None if config is None else dict(config)
    out = np.empty((steps, *w0.shape))
    for t in range(steps):
        w, config = unpack_step(fn(w, gradient(w, t), config), rule, w0.shape, t)
        out[t] = w
    return out


# Agreement is limited by rounding in w itself (one ulp of |w| per step), not by the update's
# formula: compare displacements from w0, relative to their size, with an absolute floor a thousand
# times that rounding, so that a coordinate crossing back over w0 is not judged on noise.
RTOL = 1e-8


def assert_trajectory(got: np.ndarray, expected: np.ndarray, w0: np.ndarray, rule: str) -> None:
    """Every step's weights (``got[t]``, ``expected[t]``), judged by their displacement from w0."""
    for t in range(len(expected)):
        moved = expected[t] - w0
        size = max(1.0, float(np.max(np.abs(expected[: t + 1]), initial=0.0)))
        floor = max(1e-3 * float(np.max(np.abs(moved), initial=0.0)), 1e3 * (t + 1) * size * 2.2e-16 / RTOL)
        name = "next_w - w" if t == 0 else f"(w after {t + 1} steps) - w0"
        assert_close(got[t] - w0, moved, name=name, rtol=RTOL, floor=floor, function=rule)


def fixed_gradients(grads: np.ndarray) -> Gradient:
    """Gradients that do not depend on w: step t gets grads[t]."""
    return lambda _w, t: grads[t]


@dataclass(frozen=True)
class Quadratic:
    """f(w) = scale * sum(0.5 * a * (w - c)**2 + noise[t] * w): convex, minimum near c.

    ``noise`` (steps, *shape) keeps gradients away from 0 near the minimum, where rules that
    normalise by the gradient's size would otherwise amplify rounding differences; with
    ``noise`` all zeros it is the plain quadratic.
    """

    a: np.ndarray
    c: np.ndarray
    noise: np.ndarray
    scale: float = 1.0

    def gradient(self, w: np.ndarray, t: int) -> np.ndarray:
        return self.scale * (self.a * (w - self.c) + self.noise[t])

    def loss(self, w: np.ndarray) -> float:
        return float(self.scale * np.sum(0.5 * self.a * (w - self.c) ** 2))


def quadratic(seed: int, shape: tuple[int, ...], steps: int, *, scale: float = 1.0, noise: float = 1.0,
              curvature: tuple[float, float] = (0.2, 1.0)) -> tuple[np.ndarray, Quadratic]:
    """A start point and a noisy quadratic problem drawn from ``seed``."""
    g = np.random.default_rng(seed)
    w0 = g.standard_normal(shape)
    problem = Quadratic(a=g.uniform(*curvature, shape), c=g.standard_normal(shape),
                        noise=noise * g.standard_normal((steps, *shape)), scale=scale)
    return w0, problem


def weight_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    return dst.shapes(min_dims=1, max_dims=3, max_side=4)


def log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats spread evenly in log scale over [lo, hi] (learning rates, epsilons, decays)."""
    return st.floats(np.log10(lo), np.log10(hi)).map(lambda e: float(10.0**e))
