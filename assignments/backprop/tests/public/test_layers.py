"""Public tests: the layers and losses on ordinary inputs."""

import numpy as np
import pytest
from _backprop_util import (
    DX_DW_DB,
    LAYERS,
    LOSS_DX,
    LOSSES,
    OUT_CACHE,
    affine_inputs,
    away_from_zero,
    check_layer_read_only,
    check_loss_read_only,
    hinge_safe,
    read_only_case,
    scores_and_labels,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, expect_array, expect_scalar, expect_tuple, graded
from autograder.toolkit import strategies as dst


@graded(points=3, function="affine_forward", hint="out = x.reshape(N, D) @ w + b")
def test_affine_forward_2d(student):
    """affine_forward on a 2-D batch"""
    g = np.random.default_rng(0)
    x, w, b = g.standard_normal((3, 4)), g.standard_normal((4, 5)), g.standard_normal(5)
    out, _ = expect_tuple(student.affine_forward(x, w, b), OUT_CACHE, name="affine_forward result")
    out = expect_array(out, (3, 5), name="out")
    assert_close(out, x @ w + b, name="out")


@graded(points=3, function="affine_forward", hint="Flatten every dimension after the first: x.reshape(N, -1).")
@settings(max_examples=8)
@given(inputs=affine_inputs(max_dims=3))
def test_affine_forward_k_dims(student, inputs):
    """affine_forward flattens k-dimensional inputs"""
    x, w, b = inputs
    out, _ = expect_tuple(student.affine_forward(x, w, b), OUT_CACHE, name="affine_forward result")
    out = expect_array(out, (x.shape[0], w.shape[1]), name="out")
    assert_close(out, x.reshape(x.shape[0], -1) @ w + b, name="out")


@graded(points=5, function="affine_backward",
        hint="dx = dout @ w.T reshaped like x; dw = x_flat.T @ dout; db sums over N.")
@settings(max_examples=5)
@given(inputs=affine_inputs(max_dims=2), seed=dst.seeds())
def test_affine_backward_numerical(student, inputs, seed):
    """affine_backward matches numerical gradients"""
    x, w, b = inputs
    out, cache = expect_tuple(student.affine_forward(x, w, b), OUT_CACHE, name="affine_forward result",
                              function="affine_forward")
    dout = np.random.default_rng(seed).standard_normal((x.shape[0], w.shape[1]))
    dx, dw, db = expect_tuple(student.affine_backward(dout, cache), DX_DW_DB, name="affine_backward result")
    # Numerical gradients of the submission's own affine_forward (its tests judge it); the hidden
    # tests compare with an independent oracle.
    check_gradients(student.affine_forward, {"x": x, "w": w, "b": b}, {"x": dx, "w": dw, "b": db}, dout=dout,
                    pick=0, value=out)


@graded(points=1, function="relu_forward", hint="out = max(0, x), element-wise.")
@settings(max_examples=5)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3)))
def test_relu_forward(student, x):
    """relu_forward values, exact zeros included"""
    x = x.copy()
    x.flat[0] = 0.0
    out, _ = expect_tuple(student.relu_forward(x), OUT_CACHE, name="relu_forward result")
    assert_close(expect_array(out, x.shape, name="out"), np.maximum(x, 0), name="out")


@graded(points=3, function="relu_backward", hint="The gradient passes where x > 0, and is 0 where x <= 0.")
@settings(max_examples=5)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3)), seed=dst.seeds())
def test_relu_backward(student, x, seed):
    """relu_backward, gradient 0 at exactly 0"""
    x = away_from_zero(x)
    x.flat[0] = 0.0
    _, cache = expect_tuple(student.relu_forward(x), OUT_CACHE, name="relu_forward result", function="relu_forward")
    dout = np.random.default_rng(seed).standard_normal(x.shape)
    dx = expect_array(student.relu_backward(dout, cache), x.shape, name="dx")
    assert_close(dx, dout * (x > 0), name="dx")


@graded(points=1, function="sigmoid_forward", hint="sigmoid(x) = 1 / (1 + exp(-x)).")
@settings(max_examples=5)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3), scale=4.0))
def test_sigmoid_forward(student, x):
    """sigmoid_forward: known values, and log(s / (1 - s)) gives x back"""
    known = np.log([1.0, 3.0, 1 / 3])  # sigmoid: 1/2, 3/4, 1/4
    out, _ = expect_tuple(student.sigmoid_forward(known), OUT_CACHE, name="sigmoid_forward result")
    assert_close(expect_array(out, known.shape, name="out"), np.array([0.5, 0.75, 0.25]), name="out")
    out, _ = expect_tuple(student.sigmoid_forward(x), OUT_CACHE, name="sigmoid_forward result")
    s = expect_array(out, x.shape, name="out")
    assert_close(np.log(s) - np.log1p(-s), x, name="log(out / (1 - out)), which should be x,")


@graded(points=2, function="sigmoid_backward", hint="With s = sigmoid(x), ds/dx = s * (1 - s).")
@settings(max_examples=5)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3), scale=4.0), seed=dst.seeds())
def test_sigmoid_backward(student, x, seed):
    """sigmoid_backward against numerical gradients"""
    out, cache = expect_tuple(student.sigmoid_forward(x), OUT_CACHE, name="sigmoid_forward result",
                              function="sigmoid_forward")
    dout = np.random.default_rng(seed).standard_normal(x.shape)
    dx = student.sigmoid_backward(dout, cache)
    check_gradients(student.sigmoid_forward, {"x": x}, {"x": dx}, dout=dout, pick=0, value=out)


@graded(points=4, function="softmax_loss", hint="loss = mean of -log softmax(x)[i, y_i]; dx = (softmax - onehot) / N.")
@settings(max_examples=8)
@given(data=scores_and_labels())
def test_softmax_loss(student, data):
    """softmax_loss value and gradient"""
    # Probabilities 1/3 (three equal scores) and 2/4: loss (log 3 + log 2) / 2.
    known, labels = np.array([[0.0, 0.0, 0.0], [np.log(2.0), 0.0, 0.0]]), np.array([2, 0])
    loss, _ = expect_tuple(student.softmax_loss(known, labels), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss, name="loss"), np.log(6.0) / 2, name="loss")
    x, y = data
    loss, dx = expect_tuple(student.softmax_loss(x, y), LOSS_DX, name="softmax_loss result")
    check_gradients(student.softmax_loss, {"x": x}, {"x": dx}, extra={"y": y}, pick=0, value=loss)
    # With dx right, softmax(x)[i, y_i] = N * dx[i, y_i] + 1: the loss is the mean of -log of that.
    n = len(y)
    p_y = n * expect_array(dx, x.shape, name="dx")[np.arange(n), y] + 1
    assert_close(expect_scalar(loss, name="loss"), -np.log(p_y).mean(), name="loss")


@graded(points=2, function="softmax_loss", hint="Softmax does not change when a constant is added to a row.")
@settings(max_examples=5)
@given(data=scores_and_labels(), seed=dst.seeds())
def test_softmax_shift_invariance(student, data, seed):
    """softmax_loss is unchanged by adding a constant to each row"""
    x, y = data
    shift = np.random.default_rng(seed).uniform(-50, 50, (x.shape[0], 1))
    loss, dx = expect_tuple(student.softmax_loss(x, y), LOSS_DX, name="softmax_loss result")
    loss2, dx2 = expect_tuple(student.softmax_loss(x + shift, y), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss2, name="loss"), expect_scalar(loss, name="loss"), name="loss of shifted scores",
                 rtol=1e-9)
    assert_close(expect_array(dx2, x.shape, name="dx"), expect_array(dx, x.shape, name="dx"),
                 name="dx of shifted scores", rtol=1e-7)


@graded(points=4, function="svm_loss", hint="Sum max(0, x_ij - x_iy + 1) over j != y_i, divide by N.")
@settings(max_examples=8)
@given(data=scores_and_labels(scale=1.0))
def test_svm_loss(student, data):
    """svm_loss value and gradient"""
    x, y = data
    x = hinge_safe(x, y)
    n = len(y)
    margins = np.maximum(0, x - x[np.arange(n), y][:, None] + 1)
    margins[np.arange(n), y] = 0
    loss, dx = expect_tuple(student.svm_loss(x, y), LOSS_DX, name="svm_loss result")
    assert_close(expect_scalar(loss, name="loss"), margins.sum() / n, name="loss")
    check_gradients(student.svm_loss, {"x": x}, {"x": dx}, extra={"y": y}, pick=0, value=loss)


@graded(points=3, function="mse_loss", hint="0.5 * sum((pred - target)**2) / N, with N = pred.shape[0].")
@settings(max_examples=5)
@given(pred=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3)), seed=dst.seeds())
def test_mse_loss(student, pred, seed):
    """mse_loss value and gradient"""
    target = np.random.default_rng(seed).standard_normal(pred.shape)
    loss, dpred = expect_tuple(student.mse_loss(pred, target), ("loss", "dpred"), name="mse_loss result")
    assert_close(expect_scalar(loss, name="loss"), 0.5 * np.sum((pred - target) ** 2) / pred.shape[0], name="loss")
    check_gradients(student.mse_loss, {"pred": pred}, {"pred": dpred}, extra={"target": target}, pick=0,
                    value=loss)


@pytest.mark.parametrize(("layer", "step"), [read_only_case(layer, step) for layer in LAYERS
                                             for step in ("forward", "backward")])
def test_layer_arguments_unmodified(student, layer, step):
    """leaves its arguments unmodified (a backward pass: dout and the cache too)"""
    check_layer_read_only(student, layer, step, np.random.default_rng(0), (3, 4))


@pytest.mark.parametrize("loss", [read_only_case(loss) for loss in LOSSES])
def test_loss_arguments_unmodified(student, loss):
    """leaves its arguments unmodified"""
    check_loss_read_only(student, loss, np.random.default_rng(1), (5, 4))
