"""Hidden tests: the DQN and Double DQN targets against the spec's formulas on random batches."""

import numpy as np
from _dqn_hidden import double_formula, td_formula
from _dqn_util import (
    DOUBLE_ARGUMENTS,
    TD_ARGUMENTS,
    call_kept,
    close32,
    scale_of,
    tensor,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import expect_tensor, graded
from autograder.toolkit import strategies as dst


@st.composite
def batches(draw, ties=False):
    b, a = draw(dst.sizes(max_value=8)), draw(dst.sizes(max_value=5))
    g = np.random.default_rng(draw(dst.seeds()))
    rewards = g.uniform(-5, 5, b)
    # Few distinct values make ties between actions common.
    draw_q = (lambda: g.integers(-1, 2, (b, a)).astype(np.float64)) if ties else (lambda: g.uniform(-5, 5, (b, a)))
    next_online, next_target = draw_q(), g.uniform(-5, 5, (b, a))
    terminated = (g.random(b) < 0.4).astype(np.float64)
    gamma = draw(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0]))
    return rewards, next_online, next_target, terminated, gamma


@graded(points=3, function="td_target",
        hint="Max over the action dimension (dim=1); (1 - terminated) masks the bootstrap.")
@settings(max_examples=20)
@given(batch=batches())
def test_td_target_random(student, batch):
    """random batches: rewards + gamma * (1 - terminated) * max next Q"""
    rewards, _, next_q, terminated, gamma = batch
    got = call_kept(student, "td_target", TD_ARGUMENTS, tensor(rewards), tensor(next_q), tensor(terminated), gamma)
    got = expect_tensor(got, (len(rewards),), name="td_target(...)")
    close32(got, td_formula(rewards, next_q, terminated, gamma), name="td_target(...)",
            scale=scale_of(rewards, next_q))


@graded(points=4, function="double_dqn_target",
        hint="Choose with next_q_online.argmax(dim=1) (the lowest index on ties), read next_q_target there.")
@settings(max_examples=20)
@given(batch=batches(ties=True))
def test_double_dqn_target_random(student, batch):
    """random batches with tied Q values: the online argmax (lowest index), rated by the target network"""
    rewards, next_online, next_target, terminated, gamma = batch
    got = call_kept(student, "double_dqn_target", DOUBLE_ARGUMENTS, tensor(rewards), tensor(next_online),
                    tensor(next_target), tensor(terminated), gamma)
    got = expect_tensor(got, (len(rewards),), name="double_dqn_target(...)")
    close32(got, double_formula(rewards, next_online, next_target, terminated, gamma), name="double_dqn_target(...)",
            scale=scale_of(rewards, next_target))


def _bool_batch() -> tuple[np.ndarray, ...]:
    g = np.random.default_rng(5)
    rewards, next_online, next_target = g.uniform(-2, 2, 6), g.uniform(-2, 2, (6, 3)), g.uniform(-2, 2, (6, 3))
    return rewards, next_online, next_target, np.array([True, False, False, True, False, True])


@graded(points=2, function="td_target",
        hint="1 - terminated fails for a bool tensor: convert it first (terminated.float()).")
def test_bool_terminated(student):
    """a bool terminated tensor works like a 0/1 float one"""
    rewards, _, next_target, terminated = _bool_batch()
    got = call_kept(student, "td_target", TD_ARGUMENTS, tensor(rewards), tensor(next_target),
                    tensor(terminated, "bool"), 0.9)
    got = expect_tensor(got, (6,), name="td_target(..., bool terminated)")
    close32(got, td_formula(rewards, next_target, terminated, 0.9), name="td_target(..., bool terminated)",
            scale=scale_of(rewards, next_target))


@graded(points=1, function="double_dqn_target",
        hint="1 - terminated fails for a bool tensor: convert it first (terminated.float()).")
def test_double_dqn_bool_terminated(student):
    """a bool terminated tensor works like a 0/1 float one"""
    rewards, next_online, next_target, terminated = _bool_batch()
    got = call_kept(student, "double_dqn_target", DOUBLE_ARGUMENTS, tensor(rewards), tensor(next_online),
                    tensor(next_target), tensor(terminated, "bool"), 0.9)
    got = expect_tensor(got, (6,), name="double_dqn_target(..., bool terminated)")
    close32(got, double_formula(rewards, next_online, next_target, terminated, 0.9),
            name="double_dqn_target(..., bool terminated)", scale=scale_of(rewards, next_target))


_KEEP_HINT = "Compute new tensors; do not write into the arguments (no mul_, no [...] =)."


def _kept_batch() -> tuple[np.ndarray, ...]:
    g = np.random.default_rng(8)
    rewards, next_online, next_target = g.uniform(-2, 2, 5), g.uniform(-2, 2, (5, 3)), g.uniform(-2, 2, (5, 3))
    return rewards, next_online, next_target, np.array([0.0, 1.0, 0.0, 0.0, 1.0])


@graded(points=1, function="td_target", hint=_KEEP_HINT)
def test_arguments_unmodified(student):
    """td_target leaves its arguments unchanged, float and bool terminated"""
    rewards, _, next_target, terminated = _kept_batch()
    for mask in (tensor(terminated), tensor(terminated, "bool")):
        call_kept(student, "td_target", TD_ARGUMENTS, tensor(rewards), tensor(next_target), mask, 0.9)


@graded(points=1, function="double_dqn_target", hint=_KEEP_HINT)
def test_double_dqn_arguments_unmodified(student):
    """double_dqn_target leaves its arguments unchanged, float and bool terminated"""
    rewards, next_online, next_target, terminated = _kept_batch()
    for mask in (tensor(terminated), tensor(terminated, "bool")):
        call_kept(student, "double_dqn_target", DOUBLE_ARGUMENTS, tensor(rewards), tensor(next_online),
                  tensor(next_target), mask, 0.9)
