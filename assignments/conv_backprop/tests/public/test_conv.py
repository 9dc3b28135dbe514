"""Public tests of conv_forward_naive and conv_backward_naive."""

import numpy as np
import pytest
from _conv_backprop_util import (
    CONV_READ_ONLY,
    ConvGeometry,
    check_conv_read_only,
    common_conv_geometries,
    conv_forward,
    conv_geometries,
    conv_gradients,
    conv_inputs,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, graded
from autograder.toolkit import strategies as dst

FORWARD = "conv_forward_naive"
BACKWARD = "conv_backward_naive"


def _one_tap_filters(g: ConvGeometry, seed: int) -> tuple[np.ndarray, list[tuple[int, int, int, float]]]:
    """Filters with a single non-zero tap each, at a random channel and position."""
    rng = np.random.default_rng(seed)
    w = np.zeros((g.f, g.c, g.hh, g.ww))
    taps = []
    for f in range(g.f):
        c, k, l = int(rng.integers(g.c)), int(rng.integers(g.hh)), int(rng.integers(g.ww))
        a = float(rng.uniform(0.5, 2.0))
        w[f, c, k, l] = a
        taps.append((c, k, l, a))
    return w, taps


def check_forward(student, g: ConvGeometry, seed: int) -> None:
    data = conv_inputs(g, seed)
    x, b = data["x"], data["b"]
    w, taps = _one_tap_filters(g, seed + 1)
    out, _ = conv_forward(student, g, x, w, b)
    # A one-tap filter at (c, k, l) reads xp[n, c, i*s + k, j*s + l]: the padded input shifted and
    # subsampled. This pins down orientation (no flip), stride, padding and bias.
    s, p = g.stride, g.pad
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    expected = np.stack([b[f] + a * xp[:, c, k : k + s * g.out_h : s, l : l + s * g.out_w : s]
                         for f, (c, k, l, a) in enumerate(taps)], axis=1)
    assert_close(out, expected, name="out (one-tap filters)", function=FORWARD)
    # Linearity in w ties the taps together: every filter is a sum of one-tap filters.
    w2 = data["w"]
    both, _ = conv_forward(student, g, x, w + w2, b)
    second, _ = conv_forward(student, g, x, w2, np.zeros(g.f))
    assert_close(both, out + second, name="out(x, w1 + w2, b) - out(x, w1, b) - out(x, w2, 0)",
                 function=FORWARD)


def check_backward(student, g: ConvGeometry, seed: int, directions: int | None) -> None:
    data, dout, (dx, dw, db), out = conv_gradients(student, g, seed)
    # Central differences of the submission's own forward pass (its tests judge it; the hidden tests
    # compare with torch). The convolution is linear in each input, so they are exact up to rounding
    # whatever the step: a large one keeps rounding far below the tolerance.
    check_gradients(student.conv_forward_naive, data, {"x": dx, "w": dw, "b": db}, dout=dout,
                    extra={"conv_param": g.conv_param}, pick=0, function=BACKWARD, h=1e-3,
                    directions=directions, seed=seed, value=out)


@graded(points=4, function=FORWARD,
        hint="out[n, f, i, j] = b[f] + sum(xp[n, :, i*s:i*s+HH, j*s:j*s+WW] * w[f]).")
@settings(max_examples=8)
@given(g=common_conv_geometries(), seed=dst.seeds())
def test_conv_forward_common(student, g, seed):
    """conv_forward_naive: 3x3 filters, stride 1, pad 1"""
    check_forward(student, g, seed)


@graded(points=4, function=FORWARD,
        hint="H' = 1 + (H + 2*pad - HH) // stride (floored); filters need not be square.")
@settings(max_examples=10)
@given(g=conv_geometries(), seed=dst.seeds())
def test_conv_forward_any_geometry(student, g, seed):
    """conv_forward_naive: any stride, pad, filter shape and floored output size"""
    check_forward(student, g, seed)


@graded(points=5, function=BACKWARD, hint="Check each of dx, dw, db numerically on a tiny input first.")
@settings(max_examples=4)
@given(g=common_conv_geometries(), seed=dst.seeds())
def test_conv_backward_common(student, g, seed):
    """conv_backward_naive matches numerical gradients: 3x3 filters, stride 1, pad 1"""
    check_backward(student, g, seed, directions=None)


@graded(points=5, function=BACKWARD,
        hint="Output (i, j) read the padded input from row i*stride, column j*stride; "
             "dx excludes the padding.")
@settings(max_examples=10)
@given(g=conv_geometries(), seed=dst.seeds())
def test_conv_backward_any_geometry(student, g, seed):
    """conv_backward_naive matches numerical gradients: any stride, pad, filter shape, floored sizes"""
    check_backward(student, g, seed, directions=3)


@pytest.mark.parametrize("step", CONV_READ_ONLY)
@settings(max_examples=3)
@given(g=common_conv_geometries(), seed=dst.seeds())
def test_conv_arguments_unmodified(student, step, g, seed):
    """leaves its arguments unmodified (the backward pass: dout and the cache too)"""
    check_conv_read_only(student, g, seed, step)
