"""Hidden tests for the LSTM: torch.nn.LSTM as the oracle (with the gate blocks reordered), saturated
gates, arguments left alone (dnext_c above all)."""

from _rnn_hidden import check_against_torch, saturate
from _rnn_util import call_checked, make_problem, problems, sequence_inputs, step_inputs
from hypothesis import given, settings

from autograder.toolkit import assert_unmodified, graded

LARGER = {"gates": 4, "max_n": 4, "max_t": 6, "max_d": 5, "max_h": 5}


@graded(points=3, function="lstm_forward",
        hint="The 4H columns are i, f, o, g (torch.nn.LSTM uses i, f, g, o); next_c = f * prev_c + i * g.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_lstm_forward_against_torch(student, p):
    """lstm_forward matches torch.nn.LSTM"""
    check_against_torch(student, p, "lstm", names=())


@graded(points=5, function="lstm_backward",
        hint="Carry dprev_h and dprev_c back through time; add dh[:, t] at every step; return dh0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_lstm_backward_against_torch(student, p):
    """lstm_backward matches torch.nn.LSTM's gradients: dx, dh0, dWx, dWh, db"""
    check_against_torch(student, p, "lstm")


@graded(points=3, function="lstm_step_forward",
        hint="exp(-a) overflows for a = -1e3 and exp(a) for a = 1e3: use the provided sigmoid.")
def test_lstm_saturated_gates(student):
    """lstm forward and backward stay finite and right with pre-activations up to 1e3"""
    for seed in (21, 22):
        check_against_torch(student, saturate(make_problem(3, 4, 4, 3, seed=seed, gates=4), seed=seed), "lstm")


@graded(points=3, function="lstm_step_backward",
        hint="dnext_c += ... modifies the caller's array: write dc = dnext_c + ... instead.")
def test_lstm_step_backward_leaves_dnext_c(student):
    """lstm_step_backward does not modify dnext_c (or dnext_h)"""
    p = make_problem(3, 2, 4, 5, seed=23, gates=4)
    *_, cache = call_checked(student, "lstm_step_forward", **step_inputs(p, lstm=True))
    before = {"dnext_h": p["dnext_h"], "dnext_c": p["dnext_c"]}
    _, args, _ = student.call_echo("lstm_step_backward", p["dnext_h"].copy(), p["dnext_c"].copy(), cache)
    assert_unmodified(before, dict(zip(before, args)))


@graded(points=2, function="lstm_forward", hint="Never assign into an argument: build new arrays.")
def test_lstm_arguments_unmodified(student):
    """lstm_step_forward, lstm_forward and lstm_backward leave their arguments alone"""
    p = make_problem(2, 3, 3, 4, seed=24, gates=4)
    for name, inputs in (("lstm_step_forward", step_inputs(p, lstm=True)), ("lstm_forward", sequence_inputs(p))):
        before = {k: v.copy() for k, v in inputs.items()}
        _, args, _ = student.call_echo(name, *inputs.values())
        assert_unmodified(before, dict(zip(inputs, args)), function=name)
    _, cache = call_checked(student, "lstm_forward", **sequence_inputs(p))
    _, args, _ = student.call_echo("lstm_backward", p["dh"].copy(), cache)
    assert_unmodified({"dh": p["dh"]}, {"dh": args[0]}, function="lstm_backward")
