"""Hidden tests for the LSTM: torch.nn.LSTM as the oracle (with the gate blocks reordered) and
saturated gates."""

from _rnn_hidden import check_backward_against_torch, check_forward_against_torch, saturate, torch_step
from _rnn_util import call_checked, lstm_step_gradients, make_problem, problems, step_inputs
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_array, graded

LARGER = {"gates": 4, "max_n": 4, "max_t": 6, "max_d": 5, "max_h": 5}
SATURATED_HINT = "exp(-a) overflows for a = -1e3 and exp(a) for a = 1e3: use the provided sigmoid and np.tanh."


def saturated_problems() -> list[dict]:
    return [saturate(make_problem(3, 4, 4, 3, seed=seed, gates=4), seed=seed) for seed in (21, 22)]


@graded(points=2, function="lstm_step_forward", hint=SATURATED_HINT)
def test_lstm_saturated_gates(student):
    """next_h and next_c finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        inputs = step_inputs(p, lstm=True)
        (h, c), _ = torch_step("lstm", inputs, (p["dnext_h"], p["dnext_c"]))
        next_h, next_c, _ = call_checked(student, "lstm_step_forward", **inputs)
        assert_close(expect_array(next_h, h.shape, name="next_h"), h, name="next_h")
        assert_close(expect_array(next_c, c.shape, name="next_c"), c, name="next_c")


@graded(points=1, function="lstm_step_backward",
        hint="Use the gate values the forward pass kept (s * (1 - s), 1 - tanh**2): they stay finite.")
def test_lstm_step_backward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        inputs = step_inputs(p, lstm=True)
        _, expected = torch_step("lstm", inputs, (p["dnext_h"], p["dnext_c"]))
        _, grads = lstm_step_gradients(student, p, p["dnext_h"], p["dnext_c"])
        for k, value in inputs.items():
            assert_close(expect_array(grads[k], value.shape, name=f"d{k}"), expected[k], name=f"d{k}")


@graded(points=2, function="lstm_forward",
        hint="The 4H columns are i, f, o, g (torch.nn.LSTM uses i, f, g, o); next_c = f * prev_c + i * g.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_lstm_forward_against_torch(student, p):
    """lstm_forward matches torch.nn.LSTM"""
    check_forward_against_torch(student, p, "lstm")


@graded(points=1, function="lstm_forward", hint=SATURATED_HINT)
def test_lstm_forward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        check_forward_against_torch(student, p, "lstm")


@graded(points=3, function="lstm_backward",
        hint="Carry dprev_h and dprev_c back through time; add dh[:, t] at every step; return dh0.")
@settings(max_examples=8)
@given(p=problems(**LARGER))
def test_lstm_backward_against_torch(student, p):
    """lstm_backward matches torch.nn.LSTM's gradients: dx, dh0, dWx, dWh, db"""
    check_backward_against_torch(student, p, "lstm")


@graded(points=1, function="lstm_backward", hint="Use the gate values the forward pass kept: they stay finite.")
def test_lstm_backward_saturated(student):
    """finite and right with pre-activations up to 1e3, the bound included"""
    for p in saturated_problems():
        check_backward_against_torch(student, p, "lstm")
