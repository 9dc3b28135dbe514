"""Hidden tests: the loss and its gradient entry by entry, the target update, the Q network."""

import numpy as np
from _dqn_hidden import away_from_kink, tabular_loss
from _dqn_util import LOSS_FLOOR, close32, f32, loss_report
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import Mismatch, expect_array, expect_scalar, graded
from autograder.toolkit import strategies as dst


@st.composite
def tabular_batches(draw):
    """A tabular Q function (one-hot states) and a batch on it, TD errors clear of |delta| = 1."""
    s, a = draw(dst.sizes(min_value=2, max_value=5)), draw(dst.sizes(min_value=2, max_value=4))
    b = draw(dst.sizes(max_value=12))
    g = np.random.default_rng(draw(dst.seeds()))
    online, target = f32(g.uniform(-2, 2, (s, a))), f32(g.uniform(-2, 2, (s, a)))
    batch = {"states": g.integers(0, s, b), "actions": g.integers(0, a, b), "rewards": g.uniform(-3, 3, b),
             "next_states": g.integers(0, s, b), "terminated": (g.random(b) < 0.3).astype(np.float64)}
    gamma = draw(st.sampled_from([0.5, 0.9, 0.99]))
    for double in (False, True):
        _, _, delta = tabular_loss(online, target, **batch, gamma=gamma, double=double)
        batch["rewards"] = away_from_kink(batch["rewards"], delta)
    return online, target, batch, gamma


def check_loss(student, data, double, gradient):
    online, target, batch, gamma = data
    report = loss_report(student, online, target, batch, gamma, double)
    loss, grad, _ = tabular_loss(online, target, **batch, gamma=gamma, double=double)
    close32(expect_scalar(report["loss"], name="loss"), loss, name="loss", scale=LOSS_FLOOR)
    if gradient:
        if report["online_grad"] is None:
            raise Mismatch("online network", "received no gradient from loss.backward()", function="dqn_loss")
        got = expect_array(report["online_grad"], online.shape, name="gradient of the online Q values")
        # Each entry is clip(delta) / B: 1 / B is the scale of its rounding.
        close32(got, grad, name="gradient of the online Q values (only Q(s, a) of taken actions)",
                scale=1.0 / len(batch["states"]))
        target_grad = report["target_grad"]
        if target_grad is not None and np.any(expect_array(target_grad, target.shape, name="target grad") != 0):
            raise Mismatch("target network", "received a gradient", function="dqn_loss")


@graded(points=4, function="dqn_loss",
        hint="Q(s, a): q_net(obs).gather(1, action.unsqueeze(1)).squeeze(1); target from target_net; smooth L1.")
@settings(max_examples=20)
@given(data=tabular_batches())
def test_loss_value_random(student, data):
    """random tabular batches: the loss value, small and large TD errors"""
    check_loss(student, data, double=False, gradient=False)


@graded(points=4, function="dqn_loss",
        hint="The gradient must reach only Q(s, a) of the taken actions, through the online network only.")
@settings(max_examples=15)
@given(data=tabular_batches())
def test_loss_gradient(student, data):
    """the gradient reaches exactly Q(s, a) of the taken actions, and never the target network"""
    check_loss(student, data, double=False, gradient=True)


@graded(points=3, function="dqn_loss",
        hint="double=True: the online network chooses the next action, the target network evaluates it.")
@settings(max_examples=15)
@given(data=tabular_batches())
def test_double_loss(student, data):
    """double=True: the loss and its gradient use the Double DQN target"""
    check_loss(student, data, double=True, gradient=True)


def mlp_params(g):
    return [f32(g.uniform(-1, 1, shape)) for shape in ((5, 3), (5,), (2, 5), (2,))]


@graded(points=3, function="update_target",
        hint="target <- tau * online + (1 - tau) * target, for every parameter, in place; online unchanged.")
@settings(max_examples=10)
@given(tau=st.floats(0.001, 0.999), seed=dst.seeds())
def test_update_target_soft(student, tau, seed):
    """tau between 0 and 1: Polyak averaging, the online network untouched"""
    g = np.random.default_rng(seed)
    online, target = mlp_params(g), mlp_params(g)
    report = student.probe("update_target_mlp", online, target, tau, function="update_target")
    for i, (got_t, got_o) in enumerate(zip(report["target"], report["online"], strict=True)):
        close32(got_t, tau * online[i] + (1 - tau) * target[i], name=f"target parameter {i}", scale=1.0)
        close32(got_o, online[i], name=f"online parameter {i}", scale=1.0)


@graded(points=2, function="update_target",
        hint="Copy values (p_target.copy_(p_online) or load_state_dict); p_target.data = p_online.data shares them.")
def test_update_target_copies(student):
    """tau 1 copies values: the target stays put when the online network moves on"""
    g = np.random.default_rng(3)
    online, target = mlp_params(g), mlp_params(g)
    report = student.probe("update_target_mlp", online, target, 1.0, function="update_target")
    for i, got in enumerate(report["target_after_online_moved"]):
        close32(got, online[i], name=f"target parameter {i} after the online network changed", scale=1.0)


@graded(points=1, function="QNetwork", hint="Use obs_dim, n_actions and hidden_dim; a batch may hold one row.")
def test_qnetwork_other_sizes(student):
    """other observation sizes, action counts, hidden sizes and a batch of one"""
    for obs_dim, n_actions, hidden, batch in ((7, 5, 16, 1), (1, 3, 32, 4), (10, 2, None, 3)):
        obs = np.random.default_rng(obs_dim).standard_normal((batch, obs_dim))
        report = student.probe("qnetwork", obs_dim, n_actions, hidden, obs, function="QNetwork")
        if "error" in report:
            raise Mismatch("QNetwork", report["error"], function="QNetwork")
        if report["shape"] != [batch, n_actions] or report["dtype"] != "float32":
            raise Mismatch("QNetwork(...)(obs)", "returned Q values of the wrong shape or dtype", function="QNetwork")
        expect_array(report["out"], (batch, n_actions), name="Q values")
        if report["params_with_grad"] == 0:
            raise Mismatch("QNetwork", "no parameter receives a gradient", function="QNetwork")
