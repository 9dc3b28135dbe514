"""Public tests: each update rule's first steps in closed form, its defaults and its properties."""

import numpy as np
import pytest
from _optimizers_util import (
    DEFAULTS,
    RULES,
    assert_dw_unmodified,
    assert_trajectory,
    fixed_gradients,
    log_uniform,
    quadratic,
    trajectory,
    weight_shapes,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import graded
from autograder.toolkit import strategies as dst


def gradients(seed: int, steps: int, shape: tuple[int, ...], lo: float = 0.1, hi: float = 2.0) -> np.ndarray:
    """Gradients whose entries are at least ``lo`` in size, with random signs."""
    g = np.random.default_rng(seed)
    return g.choice([-1.0, 1.0], (steps, *shape)) * g.uniform(lo, hi, (steps, *shape))


def start(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(seed + 1).standard_normal(shape)


# -- sgd --------------------------------------------------------------------------------------------

@graded(points=2, function="sgd", hint="next_w = w - learning_rate * dw")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1))
def test_sgd_steps(student, shape, seed, lr):
    """three steps"""
    w0, g = start(seed, shape), gradients(seed, 3, shape)
    got = trajectory(student, "sgd", w0, {"learning_rate": lr}, fixed_gradients(g), 3)
    assert_trajectory(got, w0 - lr * np.cumsum(g, axis=0), w0, "sgd")


@graded(points=2, function="sgd", hint="The gradient with an L2 penalty is dw + weight_decay * w.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), wd=log_uniform(1e-3, 1.0))
def test_sgd_weight_decay(student, shape, seed, lr, wd):
    """with weight_decay: one step"""
    w0, g = start(seed, shape), gradients(seed, 1, shape)
    got = trajectory(student, "sgd", w0, {"learning_rate": lr, "weight_decay": wd}, fixed_gradients(g), 1)
    assert_trajectory(got, (w0 - lr * (g[0] + wd * w0))[None], w0, "sgd")


# -- sgd_momentum ---------------------------------------------------------------------------------

def heavy_ball(w0: np.ndarray, g: np.ndarray, lr: float, mu: float, nesterov: bool) -> np.ndarray:
    """Closed form with gradients fixed in advance: buf_k = sum_j mu**(k-j) g_j."""
    steps = len(g)
    bufs = np.array([sum(mu ** (k - j) * g[j] for j in range(k + 1)) for k in range(steps)])
    moves = g + mu * bufs if nesterov else bufs
    return w0 - lr * np.cumsum(moves, axis=0)


@graded(points=2, function="sgd_momentum",
        hint="The velocity starts at 0: v = momentum * v - learning_rate * dw; next_w = w + v.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), mu=st.floats(0.1, 0.99))
def test_momentum_steps(student, shape, seed, lr, mu):
    """three steps of heavy-ball momentum"""
    w0, g = start(seed, shape), gradients(seed, 3, shape)
    got = trajectory(student, "sgd_momentum", w0, {"learning_rate": lr, "momentum": mu}, fixed_gradients(g), 3)
    assert_trajectory(got, heavy_ball(w0, g, lr, mu, nesterov=False), w0, "sgd_momentum")


@graded(points=2, function="sgd_momentum",
        hint="Nesterov moves w by momentum * v_new - learning_rate * dw, not by v_new.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), mu=st.floats(0.1, 0.99))
def test_nesterov_steps(student, shape, seed, lr, mu):
    """with nesterov=True: three steps"""
    w0, g = start(seed, shape), gradients(seed, 3, shape)
    config = {"learning_rate": lr, "momentum": mu, "nesterov": True}
    got = trajectory(student, "sgd_momentum", w0, config, fixed_gradients(g), 3)
    assert_trajectory(got, heavy_ball(w0, g, lr, mu, nesterov=True), w0, "sgd_momentum")


@graded(points=2, function="sgd_momentum",
        hint="A momentum of 0 is a valid setting, not a missing one: do not replace it by the default.")
@settings(max_examples=5)
@given(seed=dst.seeds(), lr=log_uniform(1e-3, 1e-1), nesterov=st.booleans())
def test_momentum_zero_is_sgd(student, seed, lr, nesterov):
    """with momentum 0 follows plain SGD"""
    w0, problem = quadratic(seed, (3, 2), 10)
    got = trajectory(student, "sgd_momentum", w0, {"learning_rate": lr, "momentum": 0.0, "nesterov": nesterov},
                     problem, 10)
    w, expected = w0.copy(), []
    for t in range(10):
        w = w - lr * problem.gradient(w, t)
        expected.append(w)
    assert_trajectory(got, np.array(expected), w0, "sgd_momentum")


# -- rmsprop and adagrad --------------------------------------------------------------------------

@graded(points=2, function="rmsprop",
        hint="cache = decay_rate * cache + (1 - decay_rate) * dw**2; divide by sqrt(cache) + epsilon.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), rho=st.floats(0.5, 0.999),
       eps=log_uniform(1e-8, 1e-2))
def test_rmsprop_steps(student, shape, seed, lr, rho, eps):
    """two steps"""
    w0, g = start(seed, shape), gradients(seed, 2, shape)
    config = {"learning_rate": lr, "decay_rate": rho, "epsilon": eps}
    got = trajectory(student, "rmsprop", w0, config, fixed_gradients(g), 2)
    cache1 = (1 - rho) * g[0] ** 2
    cache2 = rho * cache1 + (1 - rho) * g[1] ** 2
    w1 = w0 - lr * g[0] / (np.sqrt(cache1) + eps)
    w2 = w1 - lr * g[1] / (np.sqrt(cache2) + eps)
    assert_trajectory(got, np.array([w1, w2]), w0, "rmsprop")


@graded(points=2, function="adagrad", hint="Accumulate dw**2 (not dw); divide dw by sqrt(sum) + epsilon.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), eps=log_uniform(1e-10, 1e-2))
def test_adagrad_steps(student, shape, seed, lr, eps):
    """two steps"""
    w0, g = start(seed, shape), gradients(seed, 2, shape)
    got = trajectory(student, "adagrad", w0, {"learning_rate": lr, "epsilon": eps}, fixed_gradients(g), 2)
    w1 = w0 - lr * g[0] / (np.abs(g[0]) + eps)
    w2 = w1 - lr * g[1] / (np.sqrt(g[0] ** 2 + g[1] ** 2) + eps)
    assert_trajectory(got, np.array([w1, w2]), w0, "adagrad")


# -- adam and adamw -------------------------------------------------------------------------------

@graded(points=3, function="adam",
        hint="Increment t before using it (t = 1 on the first step) and divide m and v by 1 - beta**t.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), b1=st.floats(0.0, 0.99),
       b2=st.floats(0.9, 0.9999), eps=log_uniform(1e-10, 1e-3))
def test_adam_first_step(student, shape, seed, lr, b1, b2, eps):
    """the first step moves every coordinate by about the learning rate"""
    w0, g = start(seed, shape), gradients(seed, 1, shape, lo=1e-3)
    config = {"learning_rate": lr, "beta1": b1, "beta2": b2, "epsilon": eps}
    got = trajectory(student, "adam", w0, config, fixed_gradients(g), 1)
    # With bias correction m_hat = g and v_hat = g**2 whatever the betas.
    assert_trajectory(got, (w0 - lr * g[0] / (np.abs(g[0]) + eps))[None], w0, "adam")


@graded(points=2, function="adam",
        hint="Adam divides the first moment by the root of the second: rescaling dw changes neither ratio.")
@settings(max_examples=8)
@given(seed=dst.seeds(), factor=log_uniform(1e-3, 1e3), lr=log_uniform(1e-4, 1e-1), b1=st.floats(0.0, 0.99),
       b2=st.floats(0.9, 0.9999))
def test_adam_scale_invariance(student, seed, factor, lr, b1, b2):
    """scaling every gradient by a positive constant leaves the trajectory unchanged"""
    shape, steps = (4, 3), 15
    w0, g = start(seed, shape), gradients(seed, steps, shape)
    config = {"learning_rate": lr, "beta1": b1, "beta2": b2, "epsilon": 1e-14}
    plain = trajectory(student, "adam", w0, config, fixed_gradients(g), steps)
    scaled = trajectory(student, "adam", w0, config, fixed_gradients(factor * g), steps)
    # epsilon is 1e-14 against gradients of at least 1e-4: its share of the update is below 1e-9.
    assert_trajectory(scaled, plain, w0, "adam")


@graded(points=2, function="adam", hint="Adam's weight_decay is an L2 penalty: g = dw + weight_decay * w.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), wd=log_uniform(1e-3, 1.0))
def test_adam_weight_decay(student, shape, seed, lr, wd):
    """with weight_decay: the first step"""
    w0, g = start(seed, shape), gradients(seed, 1, shape)
    got = trajectory(student, "adam", w0, {"learning_rate": lr, "weight_decay": wd}, fixed_gradients(g), 1)
    total = g[0] + wd * w0
    assert_trajectory(got, (w0 - lr * total / (np.abs(total) + 1e-8))[None], w0, "adam")


@graded(points=3, function="adamw",
        hint="Decoupled decay: w = w * (1 - learning_rate * weight_decay) first, then Adam on the plain dw.")
@settings(max_examples=10)
@given(shape=weight_shapes(), seed=dst.seeds(), lr=log_uniform(1e-4, 1e-1), wd=log_uniform(1e-3, 1.0))
def test_adamw_first_step(student, shape, seed, lr, wd):
    """the first step"""
    w0, g = start(seed, shape), gradients(seed, 1, shape)
    got = trajectory(student, "adamw", w0, {"learning_rate": lr, "weight_decay": wd}, fixed_gradients(g), 1)
    expected = w0 * (1 - lr * wd) - lr * g[0] / (np.abs(g[0]) + 1e-8)
    assert_trajectory(got, expected[None], w0, "adamw")


# -- every rule -----------------------------------------------------------------------------------

# Settings under which each rule settles near the minimum of a quadratic of curvature 0.2 to 1.
CONVERGENT = {
    "sgd": {"learning_rate": 0.5},
    "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.8},
    "rmsprop": {"learning_rate": 0.05},
    "adagrad": {"learning_rate": 0.5},
    "adam": {"learning_rate": 0.05},
    "adamw": {"learning_rate": 0.05, "weight_decay": 0.0},
}


# Each rule's test: one point, and a hint at the mistake that makes it climb or stall.
DESCENT_HINTS = {
    "sgd": "Step against the gradient: w - learning_rate * dw.",
    "sgd_momentum": "Check the sign of the velocity update.",
    "rmsprop": "Divide by the root of the moving average of dw**2.",
    "adagrad": "Divide by the root of the running sum of dw**2.",
    "adam": "Step against the bias-corrected first moment.",
    "adamw": "Step against the bias-corrected first moment.",
}


@pytest.mark.parametrize("rule", [pytest.param(rule, marks=graded(points=1, function=rule, hint=hint), id=rule)
                                  for rule, hint in DESCENT_HINTS.items()])
def test_descends(student, rule):
    """drives a convex quadratic towards its minimum"""
    w0, problem = quadratic(7, (5,), 150, noise=0.0)
    w0 = problem.c + 2.0 * np.sign(w0 - problem.c)
    w = trajectory(student, rule, w0, CONVERGENT[rule], problem, 150)
    start_loss, end_loss = problem.loss(w0), problem.loss(w[-1])
    if not end_loss < 0.01 * start_loss:
        raise AssertionError(f"{rule}: after 150 steps on a convex quadratic the loss went from {start_loss:.4g} "
                             f"to {end_loss:.4g}; it should have fallen below 1% of where it started")


def first_step_with_defaults(rule: str, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
    d = DEFAULTS[rule]
    lr, eps = d["learning_rate"], d.get("epsilon", 0.0)
    if rule in ("sgd", "sgd_momentum"):
        return w - lr * dw
    if rule == "rmsprop":
        return w - lr * dw / (np.sqrt(1 - d["decay_rate"]) * np.abs(dw) + eps)
    if rule == "adagrad":
        return w - lr * dw / (np.abs(dw) + eps)
    decayed = w * (1 - lr * d["weight_decay"]) if rule == "adamw" else w
    return decayed - lr * dw / (np.abs(dw) + eps)


@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule, marks=graded(
    points=1, function=rule, hint="With config=None (or a hyperparameter missing) use the documented defaults."))
    for rule in RULES])
def test_defaults(student, rule):
    """accepts config=None and uses the documented defaults"""
    shape = (3, 4)
    w0, g = start(11, shape), gradients(11, 2, shape)
    got = trajectory(student, rule, w0, None, fixed_gradients(g), 1)
    assert_trajectory(got, first_step_with_defaults(rule, w0, g[0])[None], w0, rule)
    if rule == "sgd_momentum":  # the second step shows the default momentum
        got = trajectory(student, rule, w0, None, fixed_gradients(g), 2)
        assert_trajectory(got, heavy_ball(w0, g, 1e-2, 0.9, nesterov=False), w0, rule)


OPTIONS = {
    "sgd": {"weight_decay": 0.1},
    "sgd_momentum": {"weight_decay": 0.1, "nesterov": True},
    "rmsprop": {},
    "adagrad": {},
    "adam": {"weight_decay": 0.1},
    "adamw": {"weight_decay": 0.1},
}


@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule, marks=graded(
    points=1, function=rule, hint="Never modify dw in place (dw += ... changes the caller's array); build new arrays."))
    for rule in RULES])
def test_dw_unmodified(student, rule):
    """does not modify dw"""
    w, dw = start(5, (4, 3)), gradients(5, 1, (4, 3))[0]
    assert_dw_unmodified(student, rule, w, [dw, dw], dict(OPTIONS[rule]))
