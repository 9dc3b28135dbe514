"""Hidden tests: whole trajectories against torch.optim, with hyperparameters drawn by hypothesis.

The gradient at each step comes from a noisy convex quadratic evaluated at the weights each side
returned, so the trajectories interact with the updates as in training; only w is compared.
"""

import pytest
from _optimizers_hidden import torch_trajectory
from _optimizers_util import RULES, assert_dw_unmodified, assert_trajectory, log_uniform, quadratic, trajectory
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import graded
from autograder.toolkit import strategies as dst

STEPS = 60


def compare(student, rule: str, config: dict | None, seed: int, scale: float, shape=(3, 4)) -> None:
    w0, problem = quadratic(seed, shape, STEPS, scale=scale)
    got = trajectory(student, rule, w0, config, problem, STEPS)
    expected = torch_trajectory(rule, config or {}, w0, problem.gradient, STEPS)
    assert_trajectory(got, expected, w0, rule)


learning_rates = log_uniform(1e-4, 1e-1)
epsilons = log_uniform(1e-10, 1e-1)


@st.composite
def stable_scale(draw: st.DrawFn, lr: float) -> float:
    """A gradient scale for which plain and momentum SGD stay stable (lr * curvature <= 0.5)."""
    return draw(log_uniform(1e-2, 0.5 / lr))


# Adaptive rules normalise the gradient, so any scale is stable; small ones make epsilon matter.
adaptive_scales = log_uniform(1e-5, 1e2)


# -- sgd and momentum -----------------------------------------------------------------------------

@graded(points=2, function="sgd", hint="next_w = w - learning_rate * dw")
@settings(max_examples=8)
@given(data=st.data(), lr=learning_rates, seed=dst.seeds())
def test_sgd_against_torch(student, data, lr, seed):
    """trajectory against torch.optim.SGD"""
    compare(student, "sgd", {"learning_rate": lr}, seed, data.draw(stable_scale(lr)))


@graded(points=2, function="sgd", hint="With weight decay the gradient is dw + weight_decay * w.")
@settings(max_examples=8)
@given(data=st.data(), lr=learning_rates, wd=log_uniform(1e-4, 1.0), seed=dst.seeds())
def test_sgd_weight_decay_against_torch(student, data, lr, wd, seed):
    """weight_decay: trajectory against torch.optim.SGD"""
    compare(student, "sgd", {"learning_rate": lr, "weight_decay": wd}, seed, data.draw(stable_scale(lr)))


@graded(points=3, function="sgd_momentum", hint="v = momentum * v - learning_rate * dw; next_w = w + v.")
@settings(max_examples=10)
@given(data=st.data(), lr=learning_rates, mu=st.floats(0.0, 0.99), seed=dst.seeds())
def test_momentum_against_torch(student, data, lr, mu, seed):
    """trajectory against torch.optim.SGD with momentum"""
    compare(student, "sgd_momentum", {"learning_rate": lr, "momentum": mu}, seed, data.draw(stable_scale(lr)))


@graded(points=3, function="sgd_momentum",
        hint="Nesterov: next_w = w + momentum * v_new - learning_rate * dw (v_new after this step's update).")
@settings(max_examples=10)
@given(data=st.data(), lr=learning_rates, mu=st.floats(0.05, 0.99), seed=dst.seeds())
def test_nesterov_against_torch(student, data, lr, mu, seed):
    """nesterov=True: trajectory against torch.optim.SGD(nesterov=True)"""
    config = {"learning_rate": lr, "momentum": mu, "nesterov": True}
    compare(student, "sgd_momentum", config, seed, data.draw(stable_scale(lr)))


@graded(points=2, function="sgd_momentum",
        hint="Add weight_decay * w to dw before updating the velocity (this test also sets nesterov).")
@settings(max_examples=8)
@given(data=st.data(), lr=learning_rates, mu=st.floats(0.05, 0.99), wd=log_uniform(1e-4, 1.0),
       nesterov=st.booleans(), seed=dst.seeds())
def test_momentum_weight_decay_against_torch(student, data, lr, mu, wd, nesterov, seed):
    """weight_decay: trajectory against torch.optim.SGD with momentum"""
    config = {"learning_rate": lr, "momentum": mu, "nesterov": nesterov, "weight_decay": wd}
    compare(student, "sgd_momentum", config, seed, data.draw(stable_scale(lr)))


# -- adaptive rules -------------------------------------------------------------------------------

# decay_rate 0 makes RMSProp sign-SGD, whose step flips discontinuously as a gradient crosses 0: two
# correct implementations then part ways on rounding alone. From 0.5 up the average keeps a memory.
@graded(points=4, function="rmsprop",
        hint="decay_rate weighs the old average; epsilon goes outside the square root.")
@settings(max_examples=12)
@given(lr=learning_rates, rho=st.floats(0.5, 0.999), eps=epsilons, scale=adaptive_scales, seed=dst.seeds())
def test_rmsprop_against_torch(student, lr, rho, eps, scale, seed):
    """trajectory against torch.optim.RMSprop"""
    compare(student, "rmsprop", {"learning_rate": lr, "decay_rate": rho, "epsilon": eps}, seed, scale)


@graded(points=4, function="adagrad", hint="Accumulate dw**2 over all steps; epsilon outside the square root.")
@settings(max_examples=10)
@given(lr=learning_rates, eps=epsilons, scale=adaptive_scales, seed=dst.seeds())
def test_adagrad_against_torch(student, lr, eps, scale, seed):
    """trajectory against torch.optim.Adagrad"""
    compare(student, "adagrad", {"learning_rate": lr, "epsilon": eps}, seed, scale)


betas1 = st.floats(0.0, 0.99)
betas2 = st.floats(0.5, 0.9999)


@graded(points=5, function="adam",
        hint="t starts at 0 and is incremented before use; bias-correct both moments; epsilon outside the root.")
@settings(max_examples=12)
@given(lr=learning_rates, b1=betas1, b2=betas2, eps=epsilons, scale=adaptive_scales, seed=dst.seeds())
def test_adam_against_torch(student, lr, b1, b2, eps, scale, seed):
    """trajectory against torch.optim.Adam"""
    config = {"learning_rate": lr, "beta1": b1, "beta2": b2, "epsilon": eps}
    compare(student, "adam", config, seed, scale)


@graded(points=3, function="adam", hint="Adam's weight decay is coupled: g = dw + weight_decay * w feeds m and v.")
@settings(max_examples=8)
@given(lr=learning_rates, b1=betas1, b2=betas2, wd=log_uniform(1e-4, 1.0), scale=adaptive_scales, seed=dst.seeds())
def test_adam_weight_decay_against_torch(student, lr, b1, b2, wd, scale, seed):
    """weight_decay: trajectory against torch.optim.Adam"""
    config = {"learning_rate": lr, "beta1": b1, "beta2": b2, "weight_decay": wd}
    compare(student, "adam", config, seed, scale)


@graded(points=5, function="adamw",
        hint="Shrink w by (1 - learning_rate * weight_decay) before the Adam step; the decay never enters m or v.")
@settings(max_examples=12)
@given(lr=learning_rates, b1=betas1, b2=betas2, eps=epsilons, wd=log_uniform(1e-4, 1.0), scale=adaptive_scales,
       seed=dst.seeds())
def test_adamw_against_torch(student, lr, b1, b2, eps, wd, scale, seed):
    """trajectory against torch.optim.AdamW"""
    config = {"learning_rate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "weight_decay": wd}
    compare(student, "adamw", config, seed, scale)


# -- defaults and arguments -----------------------------------------------------------------------

@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule, marks=graded(
    points=1, function=rule, hint="Each missing hyperparameter (all of them with config=None) takes its documented "
                                  "default, separately: keep the given ones (config.setdefault)."))
    for rule in RULES])
def test_defaults_against_torch(student, rule):
    """with config=None, and given only a learning rate, follows torch.optim with the documented defaults"""
    seed = 100 + RULES.index(rule)
    compare(student, rule, None, seed=seed, scale=1.0)
    compare(student, rule, {"learning_rate": 0.02}, seed=seed + 100, scale=1.0)


ALL_OPTIONS = {
    "sgd": {"weight_decay": 0.1},
    "sgd_momentum": {"momentum": 0.5, "nesterov": True, "weight_decay": 0.1},
    "rmsprop": {"decay_rate": 0.9, "epsilon": 1e-3},
    "adagrad": {"epsilon": 1e-3},
    "adam": {"beta1": 0.5, "beta2": 0.9, "weight_decay": 0.1},
    "adamw": {"beta1": 0.5, "beta2": 0.9, "weight_decay": 0.1},
}


@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule, marks=graded(
    points=1, function=rule, hint="dw belongs to the caller: compute new arrays from it instead of assigning into it."))
    for rule in RULES])
def test_dw_unmodified_with_every_option(student, rule):
    """does not modify dw on any step, whatever options are set"""
    w0, problem = quadratic(9, (4, 3), 5)
    # Only dw is judged here, so every call gets the same w (the rule's state still moves on).
    assert_dw_unmodified(student, rule, w0, [problem.gradient(w0, t) for t in range(5)], dict(ALL_OPTIONS[rule]))
