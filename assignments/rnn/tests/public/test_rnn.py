"""Public tests: the vanilla RNN, one step and whole sequences, against the spec's formulas and
numerical gradients."""

import numpy as np
from _rnn_util import (
    call_checked,
    check_sequence_gradients,
    problems,
    sequence_inputs,
    step_inputs,
    stepped_sequence,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, expect_array, graded


@graded(points=2, function="rnn_step_forward", hint="next_h = tanh(x @ Wx + prev_h @ Wh + b)")
def test_rnn_step_forward(student):
    """rnn_step_forward values on a case worked by hand"""
    x, prev_h = np.array([[1.0, -2.0], [0.0, 1.0]]), np.array([[0.5, -1.0], [1.0, 0.0]])
    Wx, Wh, b = np.array([[0.1, 0.2], [0.3, -0.1]]), np.array([[0.0, 1.0], [0.5, 0.0]]), np.array([0.1, -0.2])
    next_h, _cache = call_checked(student, "rnn_step_forward", x, prev_h, Wx, Wh, b)
    # x @ Wx = [[-0.5, 0.4], [0.3, -0.1]], prev_h @ Wh = [[-0.5, 0.5], [0, 1]]
    expected = np.tanh([[-0.9, 0.7], [0.4, 0.7]])
    assert_close(expect_array(next_h, (2, 2), name="next_h"), expected, name="next_h")


@graded(points=3, function="rnn_step_backward",
        hint="With a = x @ Wx + prev_h @ Wh + b: da = dnext_h * (1 - next_h**2), using the output next_h.")
@settings(max_examples=5)
@given(p=problems())
def test_rnn_step_backward_numerical(student, p):
    """rnn_step_backward matches numerical gradients"""
    inputs = step_inputs(p)
    next_h, cache = call_checked(student, "rnn_step_forward", **inputs)
    grads = call_checked(student, "rnn_step_backward", p["dnext_h"], cache)
    # Central differences of the submission's own rnn_step_forward (its tests judge it).
    check_gradients(student.rnn_step_forward, inputs, dict(zip(("x", "prev_h", "Wx", "Wh", "b"), grads)),
                    dout=p["dnext_h"], pick=0, function="rnn_step_backward", value=next_h)


@graded(points=2, function="rnn_forward", hint="h[:, t] is the state after reading x[:, t]; h0 is not in h.")
@settings(max_examples=5)
@given(p=problems())
def test_rnn_forward(student, p):
    """rnn_forward over whole sequences (length 1 included) is rnn_step_forward repeated"""
    h, _cache = call_checked(student, "rnn_forward", **sequence_inputs(p))
    expected = stepped_sequence(student, "rnn", p)
    assert_close(expect_array(h, expected.shape, name="h"), expected, name="h")


@graded(points=2, function="rnn_backward",
        hint="At step t, the gradient reaching h[:, t] is dh[:, t] plus what flows back from step t + 1.")
@settings(max_examples=5)
@given(p=problems())
def test_rnn_backward_dx(student, p):
    """dx matches numerical gradients (upstream gradient at every step)"""
    check_sequence_gradients(student, "rnn", p, ("x",))


@graded(points=2, function="rnn_backward", hint="dh0 is the dprev_h that the first step's backward returns.")
@settings(max_examples=5)
@given(p=problems())
def test_rnn_backward_dh0(student, p):
    """dh0 matches numerical gradients"""
    check_sequence_gradients(student, "rnn", p, ("h0",))


@graded(points=2, function="rnn_backward", hint="Wx, Wh and b are shared by all steps: sum their gradients over t.")
@settings(max_examples=5)
@given(p=problems())
def test_rnn_backward_parameters(student, p):
    """dWx, dWh and db match numerical gradients"""
    check_sequence_gradients(student, "rnn", p, ("Wx", "Wh", "b"))
