"""Public tests: global-norm gradient clipping."""

from _rnn_util import clip_report, expect_arrays, global_norm, gradient_dicts
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_scalar, graded
from autograder.toolkit import strategies as dst


@graded(points=1, function="clip_grad_norm",
        hint="total_norm = sqrt of the sum of the squares of every entry of every array, before clipping.")
@settings(max_examples=5)
@given(seed=dst.seeds(), count=dst.sizes(max_value=4), ratio=dst.sizes(min_value=0, max_value=1))
def test_clip_grad_norm_returns_total_norm(student, seed, count, ratio):
    """clip_grad_norm returns the global norm of all the arrays, before clipping"""
    grads = gradient_dicts(seed, count)
    total = global_norm(grads)
    # ratio 0: the threshold is well above the norm; 1: well below it.
    max_norm = total * (3.0 if ratio == 0 else 0.25)
    report = clip_report(student, grads, max_norm)
    assert_close(expect_scalar(report["total_norm"], name="total_norm"), total, name="total_norm", rtol=1e-9)


@graded(points=2, function="clip_grad_norm",
        hint="coef = max_norm / (total_norm + 1e-6); when coef < 1 multiply every array by coef.")
@settings(max_examples=5)
@given(seed=dst.seeds(), count=dst.sizes(max_value=4))
def test_clip_grad_norm_scales_above_threshold(student, seed, count):
    """above the threshold every array is scaled by max_norm / (total_norm + 1e-6)"""
    grads = gradient_dicts(seed, count)
    total = global_norm(grads)
    max_norm = 0.3 * total
    report = clip_report(student, grads, max_norm)
    got = expect_arrays(report["dict_values"], {k: v.shape for k, v in grads.items()}, name="grads[{!r}]")
    coef = max_norm / (total + 1e-6)
    for k, v in grads.items():
        assert_close(got[k], v * coef, name=f"grads[{k!r}]", rtol=1e-9)
