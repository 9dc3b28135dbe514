"""Public tests of max_pool_forward_naive and max_pool_backward_naive (inputs without ties)."""

import numpy as np
from _conv_backprop_util import (
    POOL_GAP,
    PoolGeometry,
    common_pool_geometries,
    pool_forward,
    pool_geometries,
    pool_gradient,
    pool_input,
    window_max,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, assert_unmodified, check_gradients, graded
from autograder.toolkit import strategies as dst

FORWARD = "max_pool_forward_naive"
BACKWARD = "max_pool_backward_naive"


def check_forward(student, g: PoolGeometry, seed: int) -> None:
    x = pool_input(g, seed)
    out, _ = pool_forward(student, g, x)
    assert_close(out, window_max(x, g), name="out", function=FORWARD)


def check_backward(student, g: PoolGeometry, seed: int) -> None:
    x, dout, dx = pool_gradient(student, g, seed)
    # Max pooling is linear between ties; a step far below the gap between values never crosses one.
    check_gradients(student.max_pool_forward_naive, {"x": x}, {"x": dx}, dout=dout,
                    extra={"pool_param": g.pool_param}, pick=0, function=BACKWARD, h=POOL_GAP * 1e-3)


@graded(points=3, function=FORWARD)
@settings(max_examples=15)
@given(g=common_pool_geometries(), seed=dst.seeds())
def test_pool_forward_common(student, g, seed):
    """max_pool_forward_naive: 2x2 windows, stride 2"""
    check_forward(student, g, seed)


@graded(points=3, function=FORWARD,
        hint="Window (i, j) starts at row i*stride, column j*stride; H' = 1 + (H - pool_height) // stride.")
@settings(max_examples=20)
@given(g=pool_geometries(), seed=dst.seeds())
def test_pool_forward_any_geometry(student, g, seed):
    """max_pool_forward_naive: any window and stride, overlapping windows, floored sizes"""
    check_forward(student, g, seed)


@graded(points=4, function=BACKWARD, hint="Each window's gradient goes to the position of its maximum.")
@settings(max_examples=10)
@given(g=common_pool_geometries(), seed=dst.seeds())
def test_pool_backward_common(student, g, seed):
    """max_pool_backward_naive matches numerical gradients: 2x2 windows, stride 2"""
    check_backward(student, g, seed)


@graded(points=4, function=BACKWARD,
        hint="Overlapping windows can share a maximum: add their gradients (+=), do not overwrite.")
@settings(max_examples=20)
@given(g=pool_geometries(overlapping=True), seed=dst.seeds())
def test_pool_backward_overlapping(student, g, seed):
    """max_pool_backward_naive matches numerical gradients: overlapping windows"""
    check_backward(student, g, seed)


@graded(points=1, function=FORWARD)
@settings(max_examples=5)
@given(g=pool_geometries(), seed=dst.seeds())
def test_pool_arguments_unmodified(student, g, seed):
    """max_pool_forward_naive and max_pool_backward_naive leave their arguments unmodified"""
    x = pool_input(g, seed)
    (out, cache), args, _ = student.call_echo(FORWARD, x, g.pool_param)
    assert_unmodified({"x": x, "pool_param": g.pool_param}, {"x": args[0], "pool_param": args[1]},
                      function=FORWARD)
    dout = np.random.default_rng(seed + 1).standard_normal(np.shape(out))
    _, args, _ = student.call_echo(BACKWARD, dout, cache)
    assert_unmodified({"dout": dout}, {"dout": args[0]}, function=BACKWARD)
