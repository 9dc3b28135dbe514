"""Public tests: the vanilla RNN, one step and whole sequences, against the spec's formulas and
numerical gradients."""

from _rnn_util import (
    call_checked,
    check_sequence_gradients,
    problems,
    rnn_step,
    run_sequence,
    sequence_inputs,
    step_inputs,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, expect_array, graded


@graded(points=2, function="rnn_step_forward", hint="next_h = tanh(x @ Wx + prev_h @ Wh + b)")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_step_forward(student, p):
    """rnn_step_forward values"""
    inputs = step_inputs(p)
    next_h, _cache = call_checked(student, "rnn_step_forward", **inputs)
    expected = rnn_step(**inputs)
    assert_close(expect_array(next_h, expected.shape, name="next_h"), expected, name="next_h")


@graded(points=3, function="rnn_step_backward",
        hint="With a = x @ Wx + prev_h @ Wh + b: da = dnext_h * (1 - next_h**2), using the output next_h.")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_step_backward_numerical(student, p):
    """rnn_step_backward matches numerical gradients"""
    inputs = step_inputs(p)
    _h, cache = call_checked(student, "rnn_step_forward", **inputs)
    grads = call_checked(student, "rnn_step_backward", p["dnext_h"], cache)
    # Central differences of the spec's formula: only the backward pass is judged.
    check_gradients(rnn_step, inputs, dict(zip(("x", "prev_h", "Wx", "Wh", "b"), grads)), dout=p["dnext_h"],
                    function="rnn_step_backward")


@graded(points=2, function="rnn_forward", hint="h[:, t] is the state after reading x[:, t]; h0 is not in h.")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_forward(student, p):
    """rnn_forward values over whole sequences, length 1 included"""
    h, _cache = call_checked(student, "rnn_forward", **sequence_inputs(p))
    expected = run_sequence(**sequence_inputs(p))
    assert_close(expect_array(h, expected.shape, name="h"), expected, name="h")


@graded(points=2, function="rnn_backward",
        hint="At step t, the gradient reaching h[:, t] is dh[:, t] plus what flows back from step t + 1.")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_backward_dx(student, p):
    """dx matches numerical gradients (upstream gradient at every step)"""
    check_sequence_gradients(student, "rnn", p, ("x",))


@graded(points=2, function="rnn_backward", hint="dh0 is the dprev_h that the first step's backward returns.")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_backward_dh0(student, p):
    """dh0 matches numerical gradients"""
    check_sequence_gradients(student, "rnn", p, ("h0",))


@graded(points=2, function="rnn_backward", hint="Wx, Wh and b are shared by all steps: sum their gradients over t.")
@settings(max_examples=10)
@given(p=problems())
def test_rnn_backward_parameters(student, p):
    """dWx, dWh and db match numerical gradients"""
    check_sequence_gradients(student, "rnn", p, ("Wx", "Wh", "b"))
