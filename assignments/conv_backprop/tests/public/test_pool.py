"""Public tests of max_pool_forward_naive and max_pool_backward_naive (inputs without ties)."""

import pytest
from _conv_backprop_util import (
    POOL_GAP,
    POOL_READ_ONLY,
    PoolGeometry,
    check_pool_read_only,
    common_pool_geometries,
    pool_forward,
    pool_geometries,
    pool_gradient,
    slopes,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, graded
from autograder.toolkit import strategies as dst

FORWARD = "max_pool_forward_naive"
BACKWARD = "max_pool_backward_naive"


def check_forward(student, g: PoolGeometry, seed: int) -> None:
    # Inputs sloping towards each of the four corners: the maxima lie at that corner of every window.
    for rows, cols in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        x, expected = slopes(g, seed, rows, cols)
        out, _ = pool_forward(student, g, x)
        assert_close(out, expected, name=f"out (input sloping {rows:+d} down, {cols:+d} across)", function=FORWARD)


def check_backward(student, g: PoolGeometry, seed: int) -> None:
    x, dout, dx, out = pool_gradient(student, g, seed)
    # Max pooling is linear between ties; a step far below the gap between values never crosses one.
    # Central differences of the submission's own forward pass (its tests judge it); the hidden tests
    # compare with torch.
    check_gradients(student.max_pool_forward_naive, {"x": x}, {"x": dx}, dout=dout,
                    extra={"pool_param": g.pool_param}, pick=0, function=BACKWARD, h=POOL_GAP * 1e-3, value=out)


@graded(points=3, function=FORWARD)
@settings(max_examples=8)
@given(g=common_pool_geometries(), seed=dst.seeds())
def test_pool_forward_common(student, g, seed):
    """max_pool_forward_naive: 2x2 windows, stride 2"""
    check_forward(student, g, seed)


@graded(points=3, function=FORWARD,
        hint="Window (i, j) starts at row i*stride, column j*stride; H' = 1 + (H - pool_height) // stride.")
@settings(max_examples=10)
@given(g=pool_geometries(), seed=dst.seeds())
def test_pool_forward_any_geometry(student, g, seed):
    """max_pool_forward_naive: any window and stride, overlapping windows, floored sizes"""
    check_forward(student, g, seed)


@graded(points=4, function=BACKWARD, hint="Each window's gradient goes to the position of its maximum.")
@settings(max_examples=5)
@given(g=common_pool_geometries(), seed=dst.seeds())
def test_pool_backward_common(student, g, seed):
    """max_pool_backward_naive matches numerical gradients: 2x2 windows, stride 2"""
    check_backward(student, g, seed)


@graded(points=3, function=BACKWARD,
        hint="Overlapping windows can share a maximum: add their gradients (+=), do not overwrite.")
@settings(max_examples=10)
@given(g=pool_geometries(overlapping=True), seed=dst.seeds())
def test_pool_backward_overlapping(student, g, seed):
    """max_pool_backward_naive matches numerical gradients: overlapping windows"""
    check_backward(student, g, seed)


@pytest.mark.parametrize("step", POOL_READ_ONLY)
@settings(max_examples=3)
@given(g=common_pool_geometries(), seed=dst.seeds())
def test_pool_arguments_unmodified(student, step, g, seed):
    """leaves its arguments unmodified (the backward pass: dout and the cache too)"""
    check_pool_read_only(student, g, seed, step)
