"""Hidden tests for the vanilla RNN: torch.nn.RNN as the oracle, long sequences, saturated units,
arguments left alone."""

from _rnn_hidden import check_against_torch, saturate
from _rnn_util import call_checked, make_problem, problems, sequence_inputs, step_inputs
from hypothesis import given, settings

from autograder.toolkit import assert_unmodified, graded

LARGER = {"max_n": 4, "max_t": 8, "max_d": 5, "max_h": 6}


@graded(points=2, function="rnn_forward", hint="h[:, t] = tanh(x[:, t] @ Wx + h[:, t-1] @ Wh + b), starting from h0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_rnn_forward_against_torch(student, p):
    """rnn_forward matches torch.nn.RNN"""
    check_against_torch(student, p, "rnn", names=())


@graded(points=5, function="rnn_backward",
        hint="Add dh[:, t] to the gradient from step t + 1, sum the weight gradients, return dh0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_rnn_backward_against_torch(student, p):
    """rnn_backward matches torch.nn.RNN's gradients: dx, dh0, dWx, dWh, db"""
    check_against_torch(student, p, "rnn")


@graded(points=2, function="rnn_backward", hint="Gradients must flow back through every one of the T steps.")
def test_rnn_long_sequence(student):
    """rnn forward and backward over 30 time steps"""
    check_against_torch(student, make_problem(3, 30, 4, 5, seed=11), "rnn")


@graded(points=3, function="rnn_backward",
        hint="tanh saturates: compute 1 - next_h**2 from the output, which stays finite for any input.")
def test_rnn_saturated_units(student):
    """rnn forward and backward stay finite and right with pre-activations up to 1e3"""
    for seed in (12, 13):
        check_against_torch(student, saturate(make_problem(3, 5, 4, 6, seed=seed), seed=seed), "rnn")


@graded(points=1, function="rnn_forward", hint="Never assign into x, h0 or the weights.")
def test_rnn_forward_arguments_unmodified(student):
    """rnn_step_forward and rnn_forward leave their arguments alone"""
    p = make_problem(2, 3, 3, 4, seed=14)
    for name, inputs in (("rnn_step_forward", step_inputs(p)), ("rnn_forward", sequence_inputs(p))):
        before = {k: v.copy() for k, v in inputs.items()}
        _, args, _ = student.call_echo(name, *inputs.values())
        assert_unmodified(before, dict(zip(inputs, args)), function=name)


@graded(points=2, function="rnn_step_backward",
        hint="dnext_h *= ... changes the caller's array: build the product in a new array.")
def test_rnn_backward_arguments_unmodified(student):
    """rnn_step_backward and rnn_backward leave the upstream gradient alone"""
    p = make_problem(2, 3, 3, 4, seed=15)
    _, cache = call_checked(student, "rnn_step_forward", **step_inputs(p))
    _, args, _ = student.call_echo("rnn_step_backward", p["dnext_h"].copy(), cache)
    assert_unmodified({"dnext_h": p["dnext_h"]}, {"dnext_h": args[0]}, function="rnn_step_backward")
    _, cache = call_checked(student, "rnn_forward", **sequence_inputs(p))
    _, args, _ = student.call_echo("rnn_backward", p["dh"].copy(), cache)
    assert_unmodified({"dh": p["dh"]}, {"dh": args[0]}, function="rnn_backward")
