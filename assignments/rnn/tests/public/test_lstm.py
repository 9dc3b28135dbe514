"""Public tests: the LSTM, one step and whole sequences, against the spec's formulas and numerical
gradients."""

import numpy as np
from _rnn_util import (
    call_checked,
    check_sequence_gradients,
    lstm_step_gradients,
    problems,
    sequence_inputs,
    step_inputs,
    stepped_sequence,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, expect_array, graded

LSTM = {"gates": 4}


@graded(points=2, function="lstm_step_forward",
        hint="Gates in the order i, f, o, g; next_c = f * prev_c + i * g; next_h = o * tanh(next_c).")
def test_lstm_step_forward(student):
    """next_h and next_c on cases worked by hand, gates saturated by +-40 (sigmoid 1 or 0)"""
    def sigmoid(z: float) -> float:
        return 1 / (1 + np.exp(-z))

    zero = np.zeros((1, 4))
    # The gates from b alone: i closed, f open, o = sigmoid(0), g = tanh(0): the cell carries prev_c over.
    prev_c = np.array([[2.0], [-1.0]])
    cases = [((np.zeros((2, 1)), np.zeros((2, 1)), prev_c, zero, zero, np.array([-40.0, 40.0, 0.0, 0.0])),
              (0.5 * np.tanh(prev_c), prev_c))]
    # The gates from x @ Wx + prev_h @ Wh, (i, f, o, g) = (40, -40, 0.5, 0.25) and (80, -80, -0.5, 0.5):
    # i open, f closed, so next_c = tanh(g) whatever prev_c.
    c = np.tanh([[0.25], [0.5]])
    cases.append(((np.array([[1.0], [2.0]]), np.array([[1.0], [-1.0]]), np.array([[3.0], [3.0]]),
                   np.array([[40.0, -40.0, 0.0, 0.25]]), np.array([[0.0, 0.0, 0.5, 0.0]]), np.zeros(4)),
                  (np.array([[sigmoid(0.5)], [sigmoid(-0.5)]]) * np.tanh(c), c)))
    for args, (h, c) in cases:
        next_h, next_c, _cache = call_checked(student, "lstm_step_forward", *args)
        assert_close(expect_array(next_h, h.shape, name="next_h"), h, name="next_h")
        assert_close(expect_array(next_c, c.shape, name="next_c"), c, name="next_c")


@graded(points=3, function="lstm_step_backward",
        hint="The total gradient of next_c is dnext_c + dnext_h * o * (1 - tanh(next_c)**2).")
@settings(max_examples=5)
@given(p=problems(**LSTM))
def test_lstm_step_backward_numerical(student, p):
    """lstm_step_backward matches numerical gradients, from next_h and from next_c"""
    inputs = step_inputs(p, lstm=True)
    zeros = np.zeros_like(p["dnext_h"])
    # The two upstream gradients, one at a time: each output of the step is checked on its own, against
    # central differences of the submission's own lstm_step_forward (its tests judge it).
    for pick, dnext_h, dnext_c, dout in ((0, p["dnext_h"], zeros, p["dnext_h"]),
                                         (1, zeros, p["dnext_c"], p["dnext_c"])):
        outputs, grads = lstm_step_gradients(student, p, dnext_h, dnext_c)
        check_gradients(student.lstm_step_forward, inputs, grads, dout=dout, pick=pick,
                        function="lstm_step_backward", value=outputs[pick])


@graded(points=2, function="lstm_forward", hint="Start from c0 = 0; h[:, t] is the state after reading x[:, t].")
@settings(max_examples=5)
@given(p=problems(**LSTM))
def test_lstm_forward(student, p):
    """lstm_forward over whole sequences (length 1 included) is lstm_step_forward repeated from c0 = 0"""
    h, _cache = call_checked(student, "lstm_forward", **sequence_inputs(p))
    expected = stepped_sequence(student, "lstm", p)
    assert_close(expect_array(h, expected.shape, name="h"), expected, name="h")


@graded(points=2, function="lstm_backward",
        hint="Carry both dprev_h (added to dh[:, t]) and dprev_c back from step t + 1 to step t.")
@settings(max_examples=5)
@given(p=problems(**LSTM))
def test_lstm_backward_dx(student, p):
    """dx matches numerical gradients (upstream gradient at every step)"""
    check_sequence_gradients(student, "lstm", p, ("x",))


@graded(points=1, function="lstm_backward", hint="dh0 is the dprev_h that the first step's backward returns.")
@settings(max_examples=5)
@given(p=problems(**LSTM))
def test_lstm_backward_dh0(student, p):
    """dh0 matches numerical gradients"""
    check_sequence_gradients(student, "lstm", p, ("h0",))


@graded(points=1, function="lstm_backward", hint="Wx, Wh and b are shared by all steps: sum their gradients over t.")
@settings(max_examples=5)
@given(p=problems(**LSTM))
def test_lstm_backward_parameters(student, p):
    """dWx, dWh and db match numerical gradients"""
    check_sequence_gradients(student, "lstm", p, ("Wx", "Wh", "b"))
