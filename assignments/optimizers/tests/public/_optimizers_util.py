"""Helpers shared by the optimizers lab's public and hidden tests (harness side).

A rule is driven through a whole trajectory in the worker (``probes.run_rule``): each call gets the
w the previous one returned, a gradient computed from it, and the config it returned. The harness
then checks every returned w itself; the config stays in the worker, whatever the rule keeps in it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st

from autograder.toolkit import (
    Mismatch,
    RemoteObject,
    Student,
    assert_close,
    assert_unmodified,
    expect_array,
    expect_tuple,
)
from autograder.toolkit import strategies as dst


def _load_probes() -> Any:
    # The lab's probes.py holds the gradient formula the worker uses; the oracles use the same one.
    path = Path(__file__).resolve().parents[2] / "probes.py"
    spec = importlib.util.spec_from_file_location("_optimizers_probes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


probes = _load_probes()

RULES = ("sgd", "sgd_momentum", "rmsprop", "adagrad", "adam", "adamw")

# The documented defaults (docs/labs.md, optimizers).
DEFAULTS: dict[str, dict[str, Any]] = {
    "sgd": {"learning_rate": 1e-2, "weight_decay": 0.0},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-10},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 0.0},
    "adamw": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2},
}


def returned_config(result: Any, rule: str) -> Any:
    """The config from what a rule returned (a pair), to pass back on the next call."""
    config = expect_tuple(result, ("next_w", "config"), name=f"{rule} result", function=rule)[1]
    # A dict the wire cannot carry (a subclass, keys of other types) stays in the worker as a
    # RemoteObject; it is only ever passed back, so that is as good.
    if not isinstance(config, dict | RemoteObject):
        raise Mismatch(f"{rule} config", f"expected the config dict back, got a {type(config).__name__}",
                       function=rule)
    return config


def unpack_step(result: Any, rule: str, shape: tuple[int, ...], step: int) -> tuple[np.ndarray, Any]:
    """``(next_w, config)`` from what a rule returned, next_w checked (ndarray, shape, finite)."""
    config = returned_config(result, rule)
    return expect_array(result[0], shape, name=_step_name("next_w", step), function=rule), config


def assert_dw_unmodified(student: Student, rule: str, w: np.ndarray, gradients: list[np.ndarray],
                         config: dict) -> None:
    """Calls ``rule`` once per gradient, on the same w each time and with the config it returned,
    and checks that no call modifies its dw."""
    for dw in gradients:
        result, args, _ = student.call_echo(rule, w.copy(), dw.copy(), config)
        assert_unmodified({"dw": dw}, {"dw": args[1]}, function=rule)
        config = returned_config(result, rule)


def _step_name(what: str, step: int) -> str:
    return what if step == 0 else f"{what} on step {step + 1}"


@dataclass(frozen=True)
class Quadratic:
    """f(w) = scale * sum(0.5 * a * (w - c)**2 + noise[t] * w): convex, minimum near c.

    ``noise`` (steps, *shape) keeps gradients away from 0 near the minimum, where rules that
    normalise by the gradient's size would otherwise amplify rounding differences; with ``noise``
    all zeros it is the plain quadratic, with ``a`` all zeros a fixed sequence of gradients.
    """

    a: np.ndarray
    c: np.ndarray
    noise: np.ndarray
    scale: float = 1.0

    def spec(self) -> dict[str, Any]:
        return {"a": self.a, "c": self.c, "noise": self.noise, "scale": float(self.scale)}

    def gradient(self, w: np.ndarray, t: int) -> np.ndarray:
        return probes.gradient(self.spec(), w, t)

    def loss(self, w: np.ndarray) -> float:
        return float(self.scale * np.sum(0.5 * self.a * (w - self.c) ** 2))


def fixed_gradients(grads: np.ndarray) -> Quadratic:
    """Gradients that do not depend on w: step t gets grads[t]."""
    zeros = np.zeros(grads.shape[1:])
    return Quadratic(a=zeros, c=zeros, noise=grads)


def quadratic(seed: int, shape: tuple[int, ...], steps: int, *, scale: float = 1.0, noise: float = 1.0,
              curvature: tuple[float, float] = (0.2, 1.0)) -> tuple[np.ndarray, Quadratic]:
    """A start point and a noisy quadratic problem drawn from ``seed``."""
    g = np.random.default_rng(seed)
    w0 = g.standard_normal(shape)
    problem = Quadratic(a=g.uniform(*curvature, shape), c=g.standard_normal(shape),
                        noise=noise * g.standard_normal((steps, *shape)), scale=scale)
    return w0, problem


def trajectory(student: Student, rule: str, w0: np.ndarray, config: dict | None, problem: Quadratic,
               steps: int) -> np.ndarray:
    """The weights after each of ``steps`` calls of ``rule``, shape (steps, *w0.shape).

    ``config`` (hyperparameters only, or None) is what the first call gets; later calls get what
    the rule returned. Step t's gradient is ``problem.gradient(w, t)`` at the w of step t.
    """
    config = None if config is None else dict(config)
    run = student.probe("run_rule", rule, w0, config, problem.spec(), steps, function=rule)
    if not isinstance(run, dict) or not isinstance(run.get("weights"), list):
        raise Mismatch(f"{rule} trajectory", "the worker's probe returned nothing usable", function=rule)
    weights = run["weights"][:steps]
    out = np.empty((len(weights), *w0.shape))
    for t, w in enumerate(weights):
        out[t] = expect_array(w, w0.shape, name=_step_name("next_w", t), function=rule)
    if len(weights) < steps:
        stopped = run.get("stopped_at")
        step = stopped if isinstance(stopped, int) else len(weights)
        unpack_step(run.get("result"), rule, w0.shape, step)
        raise Mismatch(_step_name(f"{rule} result", step), "expected a tuple (next_w array, config dict)",
                       function=rule)
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


def weight_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    return dst.shapes(min_dims=1, max_dims=3, max_side=4)


def log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats spread evenly in log scale over [lo, hi] (learning rates, epsilons, decays)."""
    return st.floats(np.log10(lo), np.log10(hi)).map(lambda e: float(10.0**e))
