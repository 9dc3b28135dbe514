"""Hidden tests of the layers and losses: torch as the oracle, extreme inputs, arguments left alone."""

import numpy as np
import torch
from _backprop_hidden import torch_grads
from _backprop_util import DX_DW_DB, LOSS_DX, OUT_CACHE, affine_inputs, away_from_zero, hinge_safe, scores_and_labels
from hypothesis import given, settings

from autograder.toolkit import (
    assert_close,
    assert_unmodified,
    expect_array,
    expect_scalar,
    expect_tuple,
    graded,
)
from autograder.toolkit import strategies as dst


@graded(points=6, function="affine_backward", hint="dx must have x's original (k-dimensional) shape.")
@settings(max_examples=15)
@given(inputs=affine_inputs(max_dims=3), seed=dst.seeds())
def test_affine_against_torch(student, inputs, seed):
    """affine forward and backward on k-dimensional inputs"""
    x, w, b = inputs
    dout = np.random.default_rng(seed).standard_normal((x.shape[0], w.shape[1]))
    expected, grads = torch_grads(lambda x, w, b: x.reshape(x.shape[0], -1) @ w + b, {"x": x, "w": w, "b": b}, dout)
    out, cache = expect_tuple(student.affine_forward(x, w, b), OUT_CACHE, name="affine_forward result",
                              function="affine_forward")
    assert_close(expect_array(out, expected.shape, name="out"), expected, name="out", function="affine_forward")
    result = expect_tuple(student.affine_backward(dout, cache), DX_DW_DB, name="affine_backward result")
    for name, value, got in zip("xwb", inputs, result):
        assert_close(expect_array(got, value.shape, name=f"d{name}"), grads[name], name=f"d{name}")


@graded(points=4, function="affine_forward", hint="Never assign into x, w, b or dout: build new arrays.")
def test_layers_leave_arguments_alone(student):
    """affine and activation layers do not modify their arguments"""
    g = np.random.default_rng(3)
    x, w, b = g.standard_normal((3, 2, 2)), g.standard_normal((4, 5)), g.standard_normal(5)
    before = {"x": x.copy(), "w": w.copy(), "b": b.copy()}
    (out, cache), args, _ = student.call_echo("affine_forward", x, w, b)
    assert_unmodified(before, dict(zip("xwb", args)), function="affine_forward")
    dout = g.standard_normal((3, 5))
    _, args, _ = student.call_echo("affine_backward", dout.copy(), cache)
    assert_unmodified({"dout": dout}, {"dout": args[0]}, function="affine_backward")
    for layer in ("relu", "sigmoid"):
        z = g.standard_normal((4, 3))
        (_, cache), args, _ = student.call_echo(f"{layer}_forward", z.copy())
        assert_unmodified({"x": z}, {"x": args[0]}, function=f"{layer}_forward")
        d = g.standard_normal((4, 3))
        _, args, _ = student.call_echo(f"{layer}_backward", d.copy(), cache)
        assert_unmodified({"dout": d}, {"dout": args[0]}, function=f"{layer}_backward")


@graded(points=3, function="softmax_loss", hint="Losses must not modify the scores or the targets.")
def test_losses_leave_arguments_alone(student):
    """softmax_loss, svm_loss and mse_loss do not modify their arguments"""
    g = np.random.default_rng(4)
    x, y = g.standard_normal((5, 4)), g.integers(0, 4, 5)
    for name in ("softmax_loss", "svm_loss"):
        _, args, _ = student.call_echo(name, x.copy(), y.copy())
        assert_unmodified({"x": x, "y": y}, dict(zip("xy", args)), function=name)
    t = g.standard_normal((5, 4))
    _, args, _ = student.call_echo("mse_loss", x.copy(), t.copy())
    assert_unmodified({"pred": x, "target": t}, dict(zip(["pred", "target"], args)), function="mse_loss")


@graded(points=3, function="relu_backward", hint="Compare with torch.relu: only strictly positive inputs pass.")
@settings(max_examples=15)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=4), scale=2.0), seed=dst.seeds())
def test_relu_against_torch(student, x, seed):
    """relu on any shape, including exact zeros"""
    x = away_from_zero(x)
    x.flat[:: max(1, x.size // 3)] = 0.0
    dout = np.random.default_rng(seed).standard_normal(x.shape)
    expected, grads = torch_grads(lambda x: torch.relu(x), {"x": x}, dout)
    out, cache = expect_tuple(student.relu_forward(x), OUT_CACHE, name="relu_forward result", function="relu_forward")
    assert_close(expect_array(out, x.shape, name="out"), expected, name="out", function="relu_forward")
    assert_close(expect_array(student.relu_backward(dout, cache), x.shape, name="dx"), grads["x"], name="dx")


@graded(points=5, function="sigmoid_forward",
        hint="exp(-x) overflows for x = -1e4: use exp(-|x|) and pick the formula by the sign of x.")
def test_sigmoid_extreme_inputs(student):
    """sigmoid is finite and warning-free for |x| up to 1e4"""
    x = np.array([[-1e4, -800.0, -40.0, -1e-8, 0.0], [1e-8, 40.0, 800.0, 1e4, 3.0]])
    expected = torch.sigmoid(torch.tensor(x)).numpy()
    out, cache = expect_tuple(student.sigmoid_forward.strict(x), OUT_CACHE, name="sigmoid_forward result")
    # Below 1e-12 every value is as good as 0: exp(-40) and its rounding both pass.
    assert_close(expect_array(out, x.shape, name="out"), expected, name="out", floor=1e-12)
    dout = np.ones_like(x)
    dx = expect_array(student.sigmoid_backward.strict(dout, cache), x.shape, name="dx",
                      function="sigmoid_backward")
    assert_close(dx, expected * (1 - expected), name="dx", function="sigmoid_backward")


@graded(points=5, function="softmax_loss", hint="Subtract each row's maximum before exponentiating.")
@settings(max_examples=10)
@given(data=scores_and_labels(scale=1e4))
def test_softmax_extreme_scores(student, data):
    """softmax_loss stays finite and right for scores up to 1e4"""
    x, y = data
    expected, grads = torch_grads(
        lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(y)), {"x": x})
    loss, dx = expect_tuple(student.softmax_loss.strict(x, y), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss", floor=1e-6)
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx", floor=1e-9)


@graded(points=6, function="softmax_loss", hint="dx = (softmax(x) - onehot(y)) / N.")
@settings(max_examples=20)
@given(data=scores_and_labels(scale=5.0))
def test_softmax_against_torch(student, data):
    """softmax_loss value and gradient on many batches"""
    x, y = data
    expected, grads = torch_grads(lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(y)), {"x": x})
    loss, dx = expect_tuple(student.softmax_loss(x, y), LOSS_DX, name="softmax_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss")
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx")


@graded(points=5, function="svm_loss", hint="The correct class's gradient is minus the number of positive margins.")
@settings(max_examples=20)
@given(data=scores_and_labels(scale=2.0))
def test_svm_against_torch(student, data):
    """svm_loss value and gradient on many batches"""
    x, y = data
    x = hinge_safe(x, y)
    yt = torch.tensor(y)

    def hinge(x):
        correct = x.gather(1, yt[:, None])
        margins = torch.clamp(x - correct + 1, min=0)
        mask = torch.ones_like(x).scatter(1, yt[:, None], 0.0)
        return (margins * mask).sum() / x.shape[0]

    expected, grads = torch_grads(hinge, {"x": x})
    loss, dx = expect_tuple(student.svm_loss(x, y), LOSS_DX, name="svm_loss result")
    assert_close(expect_scalar(loss, name="loss"), expected, name="loss")
    assert_close(expect_array(dx, x.shape, name="dx"), grads["x"], name="dx")


@graded(points=4, function="mse_loss", hint="N is pred.shape[0], not pred.size.")
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
