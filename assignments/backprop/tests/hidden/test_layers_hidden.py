"""Hidden tests of the layers and losses: torch as the oracle, extreme inputs, arguments left alone."""

import numpy as np
import pytest
import torch
from _backprop_hidden import torch_grads
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
from hypothesis import strategies as st

from autograder.toolkit import assert_close, expect_array, expect_scalar, expect_tuple, graded
from autograder.toolkit import strategies as dst

# Labels of any integer dtype index the scores alike.
LABEL_DTYPES = st.sampled_from([np.int64, np.int32, np.int16, np.uint8])


@graded(points=5, function="affine_backward", hint="dx must have x's original (k-dimensional) shape.")
@settings(max_examples=15)
@given(inputs=affine_inputs(max_dims=3), seed=dst.seeds())
def test_affine_against_torch(student, inputs, seed):
    """affine_backward on k-dimensional inputs"""
    x, w, b = inputs
    dout = np.random.default_rng(seed).standard_normal((x.shape[0], w.shape[1]))
    _, grads = torch_grads(lambda x, w, b: x.reshape(x.shape[0], -1) @ w + b, {"x": x, "w": w, "b": b}, dout)
    _, cache = expect_tuple(student.affine_forward(x, w, b), OUT_CACHE, name="affine_forward result",
                            function="affine_forward")
    result = expect_tuple(student.affine_backward(dout, cache), DX_DW_DB, name="affine_backward result")
    for name, value, got in zip("xwb", inputs, result):
        assert_close(expect_array(got, value.shape, name=f"d{name}"), grads[name], name=f"d{name}")


@pytest.mark.parametrize(("layer", "step"), [read_only_case(layer, step) for layer in LAYERS
                                             for step in ("forward", "backward")])
def test_layer_arguments_unmodified_k_dims(student, layer, step):
    """leaves its arguments unmodified on 4-dimensional inputs (a backward pass: dout and the cache too)"""
    check_layer_read_only(student, layer, step, np.random.default_rng(3), (2, 3, 2, 2))


@pytest.mark.parametrize("loss", [read_only_case(loss) for loss in LOSSES])
def test_loss_arguments_unmodified_other_sizes(student, loss):
    """leaves its arguments unmodified on other batch and class counts"""
    check_loss_read_only(student, loss, np.random.default_rng(4), (7, 2))


@graded(points=3, function="relu_backward", hint="Compare with torch.relu: only strictly positive inputs pass.")
@settings(max_examples=15)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=4), scale=2.0), seed=dst.seeds())
def test_relu_against_torch(student, x, seed):
    """relu_backward on any shape, including exact zeros"""
    x = away_from_zero(x)
    x.flat[:: max(1, x.size // 3)] = 0.0
    dout = np.random.default_rng(seed).standard_normal(x.shape)
    _, grads = torch_grads(lambda x: torch.relu(x), {"x": x}, dout)
    _, cache = expect_tuple(student.relu_forward(x), OUT_CACHE, name="relu_forward result", function="relu_forward")
    assert_close(expect_array(student.relu_backward(dout, cache), x.shape, name="dx"), grads["x"], name="dx")


# |x| up to 1e4, the bound itself included, on both sides of 0.
EXTREME = np.array([[-1e4, -800.0, -40.0, -1e-8, 0.0], [1e-8, 40.0, 800.0, 1e4, 3.0]])


@graded(points=3, function="sigmoid_forward",
        hint="exp(-x) overflows for x = -1e4: use exp(-|x|) and pick the formula by the sign of x.")
def test_sigmoid_forward_extreme_inputs(student):
    """finite and warning-free for |x| up to 1e4"""
    out, _ = expect_tuple(student.sigmoid_forward.strict(EXTREME), OUT_CACHE, name="sigmoid_forward result")
    # Below 1e-12 every value is as good as 0: exp(-40) and its rounding both pass.
    assert_close(expect_array(out, EXTREME.shape, name="out"), torch.sigmoid(torch.tensor(EXTREME)).numpy(),
                 name="out", floor=1e-12)


@graded(points=2, function="sigmoid_backward",
        hint="Use s * (1 - s) with the s the forward pass kept: exp(-x) overflows at x = -1e4.")
def test_sigmoid_backward_extreme_inputs(student):
    """finite and warning-free for |x| up to 1e4"""
    expected = torch.sigmoid(torch.tensor(EXTREME)).numpy()
    # Only the backward pass runs with warnings as errors: the forward pass has its own test.
    _, cache = expect_tuple(student.sigmoid_forward(EXTREME), OUT_CACHE, name="sigmoid_forward result",
                            function="sigmoid_forward")
    dx = expect_array(student.sigmoid_backward.strict(np.ones_like(EXTREME), cache), EXTREME.shape, name="dx")
    assert_close(dx, expected * (1 - expected), name="dx")


@graded(points=4, function="softmax_loss", hint="Subtract each row's maximum before exponentiating.")
@settings(max_examples=10)
@given(data=scores_and_labels(scale=1e4))
def test_softmax_extreme_scores(student, data):
    """softmax_loss stays finite and right for scores up to 1e4"""
    x, y = data
    x = x.copy()
    x.flat[0], x.flat[-1] = 1e4, -1e4
    expected, grads = torch_grads(
        lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(y)), {"x": x})
    loss, dx = expect_tuple(student.softmax_loss.strict(x, y), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss", floor=1e-6)
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx", floor=1e-9)


@graded(points=5, function="softmax_loss", hint="dx = (softmax(x) - onehot(y)) / N.")
@settings(max_examples=20)
@given(data=scores_and_labels(scale=5.0), dtype=LABEL_DTYPES)
def test_softmax_against_torch(student, data, dtype):
    """softmax_loss value and gradient on many batches, labels of any integer dtype"""
    x, y = data
    expected, grads = torch_grads(lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(y)), {"x": x})
    y = y.astype(dtype)
    loss, dx = expect_tuple(student.softmax_loss(x, y), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss")
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx")


@graded(points=4, function="svm_loss", hint="The correct class's gradient is minus the number of positive margins.")
@settings(max_examples=20)
@given(data=scores_and_labels(scale=2.0), dtype=LABEL_DTYPES)
def test_svm_against_torch(student, data, dtype):
    """svm_loss value and gradient on many batches, labels of any integer dtype"""
    x, y = data
    x = hinge_safe(x, y)
    yt = torch.tensor(y)
    y = y.astype(dtype)

    def hinge(x):
        correct = x.gather(1, yt[:, None])
        margins = torch.clamp(x - correct + 1, min=0)
        mask = torch.ones_like(x).scatter(1, yt[:, None], 0.0)
        return (margins * mask).sum() / x.shape[0]

    expected, grads = torch_grads(hinge, {"x": x})
    loss, dx = expect_tuple(student.svm_loss(x, y), LOSS_DX, name="svm_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss")
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx")


@graded(points=3, function="mse_loss", hint="N is pred.shape[0], not pred.size.")
@settings(max_examples=15)
@given(pred=dst.float_arrays(dst.shapes(min_dims=2, max_dims=4)), seed=dst.seeds())
def test_mse_against_torch(student, pred, seed):
    """mse_loss on k-dimensional predictions"""
    target = np.random.default_rng(seed).standard_normal(pred.shape)
    expected, grads = torch_grads(lambda pred: 0.5 * ((pred - torch.tensor(target)) ** 2).sum() / pred.shape[0],
                                  {"pred": pred})
    loss, dpred = expect_tuple(student.mse_loss(pred, target), ("loss", "dpred"), name="mse_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss")
    assert_close(expect_array(dpred, pred.shape, name="dpred"), grads["pred"], name="dpred")
