"""Hidden tests for clip_grad_norm: torch.nn.utils.clip_grad_norm_ as the oracle, the same array
objects scaled in place, nothing changed below the threshold."""

import numpy as np
from _rnn_hidden import torch_clip
from _rnn_util import clip_report, expect_arrays, global_norm, gradient_dicts
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import assert_close, assert_unmodified, expect_scalar, graded
from autograder.toolkit import strategies as dst


def shapes_of(grads: dict[str, np.ndarray]) -> dict[str, tuple]:
    return {k: v.shape for k, v in grads.items()}


def clip_against_torch(student, grads: dict[str, np.ndarray], factor: float) -> tuple[dict, dict]:
    """clip_grad_norm with max_norm ``factor`` times the global norm: its total_norm checked against
    torch's; returns torch's clipped arrays and those the dict holds afterwards."""
    max_norm = factor * global_norm(grads)
    expected_total, expected = torch_clip(grads, max_norm)
    report = clip_report(student, grads, max_norm)
    assert_close(expect_scalar(report["total_norm"], name="total_norm"), expected_total, name="total_norm",
                 rtol=1e-9)
    return expected, expect_arrays(report["dict_values"], shapes_of(grads), name="grads[{!r}]")


@graded(points=2, function="clip_grad_norm",
        hint="One norm over all the arrays together, not one per array; coef = max_norm / (total_norm + 1e-6).")
@settings(max_examples=10)
@given(seed=dst.seeds(), count=dst.sizes(max_value=6), fraction=st.sampled_from([0.01, 0.2, 0.5, 0.9]))
def test_clip_against_torch(student, seed, count, fraction):
    """clip_grad_norm matches torch.nn.utils.clip_grad_norm_ above the threshold"""
    expected, got = clip_against_torch(student, gradient_dicts(seed, count), fraction)
    for k in expected:
        assert_close(got[k], expected[k], name=f"grads[{k!r}]", rtol=1e-9)


@graded(points=3, function="clip_grad_norm",
        hint="Scale in place (g *= coef): grads[k] = g * coef puts a new array in the dict, and the "
             "caller's own array keeps its old values.")
def test_clip_scales_the_same_array_objects(student):
    """clip_grad_norm scales the dict's own arrays in place and keeps them in the dict"""
    for seed, count in ((41, 3), (42, 1), (43, 5)):
        grads = gradient_dicts(seed, count)
        max_norm = 0.1 * global_norm(grads)
        _, expected = torch_clip(grads, max_norm)
        report = clip_report(student, grads, max_norm)
        if report["keys"] != sorted(grads):
            raise AssertionError("clip_grad_norm must keep the dict's keys, adding and removing none")
        replaced = sorted(k for k, same in report["same_objects"].items() if not same)
        if replaced:
            raise AssertionError(f"clip_grad_norm replaced the arrays of {replaced} by new objects")
        got = expect_arrays(report["original_values"], shapes_of(grads), name="the caller's array {!r}")
        for k in grads:
            assert_close(got[k], expected[k], name=f"the caller's array {k!r}", rtol=1e-9)


@graded(points=2, function="clip_grad_norm", hint="When max_norm / (total_norm + 1e-6) >= 1, change nothing.")
@settings(max_examples=8)
@given(seed=dst.seeds(), count=dst.sizes(max_value=5), factor=st.sampled_from([1.5, 4.0, 1e3]))
def test_clip_below_threshold_changes_nothing(student, seed, count, factor):
    """below the threshold clip_grad_norm returns the norm and leaves every array as it was"""
    grads = gradient_dicts(seed, count)
    _, got = clip_against_torch(student, grads, factor)
    assert_unmodified({"grads": grads}, {"grads": got})
