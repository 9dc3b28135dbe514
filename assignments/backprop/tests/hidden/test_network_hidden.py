"""Hidden tests of FullyConnectedNet: parameter shapes, deeper networks against torch, regularisation."""

import numpy as np
from _backprop_hidden import torch_net_loss
from _backprop_util import grads_dict, make_net, net_loss, net_params
from hypothesis import given, settings

from autograder.toolkit import assert_close, check_gradients, expect_array, expect_scalar, expect_tuple, graded
from autograder.toolkit import strategies as dst
from autograder.toolkit.readonly import call_read_only


@graded(points=3, function="FullyConnectedNet", hint="W_i (dims[i-1], dims[i]); b_i (dims[i],).")
def test_net_parameter_shapes(student):
    """the constructor creates W1, b1, ..., WL, bL of the documented shapes"""
    net = student.FullyConnectedNet(hidden_dims=[7, 4], input_dim=6, num_classes=3, weight_scale=0.1, seed=0)
    params = net.get("params")
    dims = [6, 7, 4, 3]
    expected = {f"W{i + 1}": (dims[i], dims[i + 1]) for i in range(3)} | {f"b{i + 1}": (dims[i + 1],) for i in range(3)}
    if not isinstance(params, dict) or set(params) != set(expected):
        raise AssertionError(f"params must have exactly the keys {sorted(expected)}")
    for key, shape in expected.items():
        expect_array(params[key], shape, name=f"params[{key!r}]")


@graded(points=5, function="FullyConnectedNet.loss",
        hint="Every hidden layer is affine then ReLU; the last is affine only.")
def test_deep_net_against_torch(student):
    """a three-hidden-layer net with regularisation: scores, loss and gradients"""
    g = np.random.default_rng(7)
    X, y = g.standard_normal((6, 2, 4)), g.integers(0, 4, 6)
    params = net_params([8, 7, 6, 5, 4], seed=8)
    scores_expected, loss_expected, grads_expected = torch_net_loss(params, X, y, reg=0.3)
    net = make_net(student, [7, 6, 5], 8, 4, 0.3, params)
    assert_close(expect_array(net.loss(X), (6, 4), name="scores"), scores_expected, name="scores")
    loss, grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss result")
    assert_close(expect_scalar(loss, name="loss"), loss_expected, name="loss")
    for key, value in grads_dict(grads, params).items():
        assert_close(value, grads_expected[key], name=f"grads[{key!r}]")


@graded(points=6, function="FullyConnectedNet.loss",
        hint="Check each layer's gradient separately, from the last backwards.")
@settings(max_examples=5)
@given(hidden=dst.shapes(min_dims=1, max_dims=3, min_side=2, max_side=5), seed=dst.seeds())
def test_net_numerical_gradients(student, hidden, seed):
    """networks of any depth against numerical gradients"""
    g = np.random.default_rng(seed)
    X, y = g.standard_normal((3, 4)), g.integers(0, 3, 3)
    params = net_params([4, *hidden, 3], seed=seed)
    net = make_net(student, list(hidden), 4, 3, 0.1, params)
    loss, grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss result")
    check_gradients(net_loss(net, X, y), params, grads_dict(grads, params), value=loss)


@graded(points=3, function="FullyConnectedNet.loss", hint="Regularise the weights W only, never the biases.")
def test_regularisation_weights_only(student):
    """the L2 penalty covers the weights, not the biases"""
    g = np.random.default_rng(9)
    X, y = g.standard_normal((4, 3)), g.integers(0, 2, 4)
    params = net_params([3, 4, 2], seed=10, scale=1.0)
    params["b1"] = params["b1"] + 5.0
    _, loss_expected, grads_expected = torch_net_loss(params, X, y, reg=2.0)
    net = make_net(student, [4], 3, 2, 2.0, params)
    loss, grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss result")
    assert_close(expect_scalar(loss, name="loss"), loss_expected, name="loss")
    grads = grads_dict(grads, params)
    assert_close(grads["b1"], grads_expected["b1"], name="grads['b1']")
    assert_close(grads["W1"], grads_expected["W1"], name="grads['W1']")


@graded(points=1, function="FullyConnectedNet.loss", hint="Never assign into X or y: build new arrays.")
def test_net_arguments_unmodified(student):
    """leaves X and y unmodified"""
    g = np.random.default_rng(11)
    X, y = g.standard_normal((4, 2, 3)), g.integers(0, 3, 4)
    net = make_net(student, [5], 6, 3, 0.1, net_params([6, 5, 3], seed=12))
    call_read_only(net.loss, X, names=("X",))
    call_read_only(net.loss, X, y, names=("X", "y"))
