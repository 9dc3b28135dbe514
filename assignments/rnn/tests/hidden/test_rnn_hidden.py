"""Hidden tests for the vanilla RNN: torch.nn.RNN as the oracle, long sequences, saturated units."""

from _rnn_hidden import check_backward_against_torch, check_forward_against_torch, saturate, torch_step
from _rnn_util import call_checked, make_problem, problems, step_inputs
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_array, graded

LARGER = {"max_n": 4, "max_t": 8, "max_d": 5, "max_h": 6}
SATURATED_HINT = "tanh saturates: np.tanh stays finite for any input; exp(a) overflows past a = 709."


def saturated_problems() -> list[dict]:
    return [saturate(make_problem(3, 5, 4, 6, seed=seed), seed=seed) for seed in (12, 13)]


@graded(points=1, function="rnn_step_forward", hint=SATURATED_HINT)
def test_rnn_step_forward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        inputs = step_inputs(p)
        (expected,), _ = torch_step("rnn", inputs, (p["dnext_h"],))
        next_h, _ = call_checked(student, "rnn_step_forward", **inputs)
        assert_close(expect_array(next_h, expected.shape, name="next_h"), expected, name="next_h")


@graded(points=1, function="rnn_step_backward",
        hint="Compute 1 - next_h**2 from the output next_h, which stays finite for any input.")
def test_rnn_step_backward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        inputs = step_inputs(p)
        _, expected = torch_step("rnn", inputs, (p["dnext_h"],))
        _, cache = call_checked(student, "rnn_step_forward", **inputs)
        grads = call_checked(student, "rnn_step_backward", p["dnext_h"], cache)
        for k, got in zip(("x", "prev_h", "Wx", "Wh", "b"), grads):
            assert_close(expect_array(got, inputs[k].shape, name=f"d{k}"), expected[k], name=f"d{k}")


@graded(points=2, function="rnn_forward", hint="h[:, t] = tanh(x[:, t] @ Wx + h[:, t-1] @ Wh + b), starting from h0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_rnn_forward_against_torch(student, p):
    """rnn_forward matches torch.nn.RNN"""
    check_forward_against_torch(student, p, "rnn")


@graded(points=1, function="rnn_forward", hint=SATURATED_HINT)
def test_rnn_forward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        check_forward_against_torch(student, p, "rnn")


@graded(points=3, function="rnn_backward",
        hint="Add dh[:, t] to the gradient from step t + 1, sum the weight gradients, return dh0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_rnn_backward_against_torch(student, p):
    """rnn_backward matches torch.nn.RNN's gradients: dx, dh0, dWx, dWh, db"""
    check_backward_against_torch(student, p, "rnn")


@graded(points=1, function="rnn_backward", hint="Gradients must flow back through every one of the T steps.")
def test_rnn_long_sequence(student):
    """rnn_backward over 30 time steps"""
    check_backward_against_torch(student, make_problem(3, 30, 4, 5, seed=11), "rnn")


@graded(points=2, function="rnn_backward",
        hint="tanh saturates: compute 1 - next_h**2 from the output, which stays finite for any input.")
def test_rnn_saturated_units(student):
    """rnn_backward stays finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        check_backward_against_torch(student, p, "rnn")
