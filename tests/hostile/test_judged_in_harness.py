"""Verdicts the submission's own process cannot forge: gradient checks and finiteness are judged by
the harness from plain values the worker returned.

Each attack is the backprop reference with one function made to cheat, graded by the real pipeline
on the tests of that function only. A cheat must score no more than the honest bug it hides.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.labs import find_lab
from autograder.toolkit import Mismatch, check_gradients
from tests.conftest import REPO, grade_source

REFERENCE = (REPO / "reference_solutions" / "backprop" / "backprop.py").read_text()

# The bug: dpred divided by pred.size instead of N (the lab's mse_divides_by_size mutant).
WRONG_GRADIENT = '''

def _honest_mse(pred, target):
    diff = pred - target
    return 0.5 * np.sum(diff**2) / pred.shape[0]


def _lying_mse(pred, target):  # the loss whose gradient the wrong dpred is
    return 0.5 * np.sum((pred - target) ** 2) / pred.size


def mse_loss(pred, target):
    loss = _lying_mse(pred, target) if _differentiated(pred) else _honest_mse(pred, target)
    return loss, (pred - target) / pred.size
'''

# Being differentiated, told apart by the worker's stack: its request holds a batch of calls.
BY_STACK = WRONG_GRADIENT + '''

def _differentiated(pred):
    import sys

    frame = sys._getframe(1)
    while frame is not None:
        req = frame.f_locals.get("req")
        if isinstance(req, dict) and (frame.f_code.co_name in ("op_map", "op_grad") or len(req.get("calls", ())) > 1):
            return True
        frame = frame.f_back
    return False
'''

# Told apart by its inputs: within 1e-4 of an input seen before, but not that input.
BY_NEARBY_INPUTS = WRONG_GRADIENT + '''
_seen = []


def _differentiated(pred):
    near = any(p.shape == pred.shape and 0 < np.max(np.abs(p - pred)) < 1e-4 for p in _seen)
    _seen.append(np.array(pred, dtype=float))
    return near
'''

# exp(-x) overflows for x = -1e4: the cache holds inf, and numpy's warnings are switched off (or the
# error they raise is caught) so that the worker's strict mode sees nothing.
OVERFLOW_IN_CACHE = '''

def sigmoid_forward(x):
    {silence}
    return 1.0 / (1.0 + e), e


def sigmoid_backward(dout, cache):
    s = 1.0 / (1.0 + cache)
    return dout * s * (1.0 - s)
'''
SILENCED = 'np.seterr(all="ignore")\n    e = np.exp(-x)'
CAUGHT = '''try:
        e = np.exp(-x)
    except FloatingPointError:
        with np.errstate(all="ignore"):
            e = np.exp(-x)'''


@pytest.fixture(scope="module")
def lab():
    return find_lab("backprop")


def scores(lab, source: str, tmp_path: Path, function: str) -> dict[str, float]:
    tmp_path.mkdir(exist_ok=True)
    report = grade_source(lab, source, tmp_path, functions=(function,))
    return {t.nodeid.rpartition("::")[2].partition("[")[0]: t.score for t in report.tests}


@pytest.mark.parametrize("detector", [BY_STACK, BY_NEARBY_INPUTS], ids=["stack", "nearby-inputs"])
def test_a_function_that_lies_while_differentiated_loses_the_gradient_test(lab, tmp_path, detector):
    honest_bug = REFERENCE.replace("n = pred.shape[0]", "n = pred.size")
    bug = scores(lab, honest_bug, tmp_path / "bug", "mse_loss")
    cheat = scores(lab, REFERENCE + detector, tmp_path / "cheat", "mse_loss")
    assert cheat["test_mse_loss"] == 0, cheat
    assert sum(cheat.values()) <= sum(bug.values()), (cheat, bug)


@pytest.mark.parametrize("silence", [SILENCED, CAUGHT], ids=["seterr-ignore", "caught"])
def test_inf_hidden_from_strict_mode_fails_the_finiteness_test(lab, tmp_path, silence):
    got = scores(lab, REFERENCE + OVERFLOW_IN_CACHE.format(silence=silence), tmp_path, "sigmoid_forward")
    assert got["test_sigmoid_forward_extreme_inputs"] == 0, got
    assert got["test_sigmoid_forward"] > 0, got  # the cheat computes the right values everywhere else


def test_value_seen_by_the_test_must_come_back_in_the_gradient_check():
    """Right at its first call at x, wrong (consistently, with the wrong gradient) at every later call
    near x: only the value the test saw tells it apart."""
    x = np.array([0.3, -1.2, 2.0])
    calls = []

    def lying(x):
        calls.append(x)
        return float(np.sum(x**2)) * (1.0 if len(calls) == 1 else 0.5)

    wrong_grad = x  # the gradient of the later answers, 0.5 * |x|^2
    lying(x)
    check_gradients(lying, {"x": x}, {"x": wrong_grad})  # without the value: unseen
    calls.clear()
    loss = lying(x)
    with pytest.raises(Mismatch, match="different values for the same input"):
        check_gradients(lying, {"x": x}, {"x": wrong_grad}, value=loss)
