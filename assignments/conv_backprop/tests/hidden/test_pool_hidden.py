"""Hidden tests of max pooling: torch.nn.functional.max_pool2d as the oracle, and routing."""

import numpy as np
import pytest
from _conv_backprop_hidden import max_pool
from _conv_backprop_util import (
    POOL_READ_ONLY,
    PoolGeometry,
    check_pool_read_only,
    pool_forward,
    pool_geometries,
    pool_gradient,
    pool_input,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, graded
from autograder.toolkit import strategies as dst

FORWARD = "max_pool_forward_naive"
BACKWARD = "max_pool_backward_naive"


def check_backward(student, g: PoolGeometry, seed: int) -> None:
    x, dout, dx, _ = pool_gradient(student, g, seed)
    _, expected = max_pool(x, g.ph, g.pw, g.stride, dout)
    assert_close(dx, expected, name="dx", function=BACKWARD)


@graded(points=2, function=FORWARD)
@settings(max_examples=20)
@given(g=pool_geometries(), seed=dst.seeds())
def test_pool_forward_oracle(student, g, seed):
    """max_pool_forward_naive equals torch's max_pool2d: any window, stride and floored size"""
    x = pool_input(g, seed)
    out, _ = pool_forward(student, g, x)
    (expected,) = max_pool(x, g.ph, g.pw, g.stride)
    assert_close(out, expected, name="out", function=FORWARD)


@graded(points=3, function=BACKWARD)
@settings(max_examples=15)
@given(g=pool_geometries(overlapping=False), seed=dst.seeds())
def test_pool_backward_disjoint_oracle(student, g, seed):
    """max_pool_backward_naive equals torch's gradient: windows that do not overlap, floored sizes"""
    check_backward(student, g, seed)


@graded(points=4, function=BACKWARD,
        hint="Overlapping windows can share a maximum: add their gradients (+=), do not overwrite.")
@settings(max_examples=20)
@given(g=pool_geometries(overlapping=True), seed=dst.seeds())
def test_pool_backward_overlapping_oracle(student, g, seed):
    """max_pool_backward_naive equals torch's gradient: overlapping windows"""
    check_backward(student, g, seed)


@graded(points=2, function=BACKWARD)
@settings(max_examples=12)
@given(g=pool_geometries(), seed=dst.seeds())
def test_pool_backward_routes_to_maxima(student, g, seed):
    """max_pool_backward_naive sends gradient only to window maxima, and all of it"""
    # Positive upstream values: a gradient that lands elsewhere cannot cancel out in the sums.
    dout = np.random.default_rng(seed + 1).uniform(0.5, 1.5, (g.n, g.c, g.out_h, g.out_w))
    x, _, dx, _ = pool_gradient(student, g, seed, dout)
    is_max = np.zeros(x.shape, dtype=bool)
    for i in range(g.out_h):
        for j in range(g.out_w):
            r, s = i * g.stride, j * g.stride
            window = x[:, :, r : r + g.ph, s : s + g.pw]
            is_max[:, :, r : r + g.ph, s : s + g.pw] |= window == window.max(axis=(2, 3), keepdims=True)
    assert_close(np.where(is_max, 0.0, dx), np.zeros_like(dx), name="dx away from every window's maximum",
                 floor=1e-12, function=BACKWARD)
    assert_close(dx.sum(axis=(2, 3)), dout.sum(axis=(2, 3)), name="dx summed over each channel",
                 function=BACKWARD)


@pytest.mark.parametrize("step", POOL_READ_ONLY)
@settings(max_examples=8)
@given(g=pool_geometries(overlapping=True), seed=dst.seeds())
def test_pool_arguments_unmodified_overlapping(student, step, g, seed):
    """leaves its arguments unmodified, overlapping windows (the backward pass: dout and the cache too)"""
    check_pool_read_only(student, g, seed, step)
