"""Hidden tests of the convolution: torch.nn.functional.conv2d as the oracle, and properties."""

import numpy as np
import pytest
from _conv_backprop_hidden import conv
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
from hypothesis import strategies as st

from autograder.toolkit import assert_close, graded
from autograder.toolkit import strategies as dst

FORWARD = "conv_forward_naive"
BACKWARD = "conv_backward_naive"


def check_forward(student, g: ConvGeometry, seed: int) -> None:
    data = conv_inputs(g, seed)
    out, _ = conv_forward(student, g, data["x"], data["w"], data["b"])
    (expected,) = conv(data["x"], data["w"], data["b"], g.stride, g.pad)
    assert_close(out, expected, name="out", function=FORWARD)


def check_backward(student, g: ConvGeometry, seed: int) -> None:
    data, dout, (dx, dw, db), _ = conv_gradients(student, g, seed)
    _, ex, ew, eb = conv(data["x"], data["w"], data["b"], g.stride, g.pad, dout)
    assert_close(dx, ex, name="dx", function=BACKWARD)
    assert_close(dw, ew, name="dw", function=BACKWARD)
    assert_close(db, eb, name="db", function=BACKWARD)


@graded(points=4, function=FORWARD)
@settings(max_examples=15)
@given(g=common_conv_geometries(), seed=dst.seeds())
def test_conv_forward_common_oracle(student, g, seed):
    """conv_forward_naive equals torch's conv2d: 3x3 filters, stride 1, pad 1"""
    check_forward(student, g, seed)


@graded(points=4, function=FORWARD, hint="Output sizes are floored: 1 + (H + 2*pad - HH) // stride.")
@settings(max_examples=20)
@given(g=conv_geometries(strides=(2, 3), floored=True), seed=dst.seeds())
def test_conv_forward_strided_floored_oracle(student, g, seed):
    """conv_forward_naive equals torch's conv2d: strides 2 and 3 with floored output sizes"""
    check_forward(student, g, seed)


@graded(points=3, function=FORWARD)
@settings(max_examples=15)
@given(g=conv_geometries(strides=(1,), pads=(0, 2, 3)), seed=dst.seeds())
def test_conv_forward_pad_and_shape_oracle(student, g, seed):
    """conv_forward_naive equals torch's conv2d: pad 0, 2 and 3, non-square filters"""
    check_forward(student, g, seed)


@graded(points=2, function=FORWARD)
@settings(max_examples=10)
@given(g=conv_geometries(), seed=dst.seeds(), a=st.floats(-2, 2), c=st.floats(-2, 2))
def test_conv_forward_linear(student, g, seed, a, c):
    """conv_forward_naive is linear in x and in w (the bias aside)"""
    d1, d2 = conv_inputs(g, seed), conv_inputs(g, seed + 1)
    zero = np.zeros(g.f)
    x1, x2, w1, w2 = d1["x"], d2["x"], d1["w"], d2["w"]
    out = {}
    for key, (x, w) in {"x1": (x1, w1), "x2": (x2, w1), "x": (a * x1 + c * x2, w1), "w2": (x1, w2),
                        "w": (x1, a * w1 + c * w2)}.items():
        out[key] = conv_forward(student, g, x, w, zero)[0]
    assert_close(out["x"], a * out["x1"] + c * out["x2"],
                 name="out(a x1 + c x2, w) - a out(x1, w) - c out(x2, w)", function=FORWARD)
    assert_close(out["w"], a * out["x1"] + c * out["w2"],
                 name="out(x, a w1 + c w2) - a out(x, w1) - c out(x, w2)", function=FORWARD)


@graded(points=2, function=FORWARD)
@settings(max_examples=12)
@given(g=conv_geometries(kernels=(1,), max_outputs=5) | conv_geometries(max_outputs=1), seed=dst.seeds())
def test_conv_forward_extreme_oracle(student, g, seed):
    """conv_forward_naive equals torch's conv2d: 1x1 filters, and filters covering the whole padded input"""
    check_forward(student, g, seed)


@graded(points=4, function=BACKWARD)
@settings(max_examples=15)
@given(g=common_conv_geometries(), seed=dst.seeds())
def test_conv_backward_common_oracle(student, g, seed):
    """conv_backward_naive equals torch's gradients: 3x3 filters, stride 1, pad 1"""
    check_backward(student, g, seed)


@graded(points=5, function=BACKWARD,
        hint="Output (i, j) read the padded input from row i*stride, column j*stride: so does its gradient.")
@settings(max_examples=20)
@given(g=conv_geometries(strides=(2, 3), pads=(1, 2, 3)), seed=dst.seeds())
def test_conv_backward_strided_oracle(student, g, seed):
    """conv_backward_naive equals torch's gradients: strides 2 and 3 (padded)"""
    check_backward(student, g, seed)


@graded(points=3, function=BACKWARD, hint="With pad 0 there is nothing to strip: x[:, :, 0:-0] is empty.")
@settings(max_examples=15)
@given(g=conv_geometries(strides=(1,), pads=(0,)), seed=dst.seeds())
def test_conv_backward_no_pad_oracle(student, g, seed):
    """conv_backward_naive equals torch's gradients: pad 0 (stride 1)"""
    check_backward(student, g, seed)


@graded(points=5, function=BACKWARD,
        hint="Overlapping receptive fields share inputs: accumulate dx with +=. Sizes may be floored.")
@settings(max_examples=20)
@given(g=conv_geometries(strides=(2, 3), pads=(1, 2, 3), overlapping=True, floored=True), seed=dst.seeds())
def test_conv_backward_overlapping_floored_oracle(student, g, seed):
    """conv_backward_naive equals torch's gradients: overlapping fields, large pads, floored sizes"""
    check_backward(student, g, seed)


@pytest.mark.parametrize("step", CONV_READ_ONLY)
@settings(max_examples=8)
@given(g=conv_geometries(), seed=dst.seeds())
def test_conv_arguments_unmodified_any_geometry(student, step, g, seed):
    """leaves its arguments unmodified, any stride and pad (the backward pass: dout and the cache too)"""
    check_conv_read_only(student, g, seed, step)
