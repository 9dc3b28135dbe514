"""Public tests of ThreeLayerConvNet: parameter shapes and numerically checked gradients."""

import numpy as np
from _conv_backprop_util import make_net, net_data, net_geometries, net_loss, net_params
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import check_gradients, expect_array, graded
from autograder.toolkit import strategies as dst

NET = "ThreeLayerConvNet"


@graded(points=2, function=NET,
        hint="W2 has num_filters * Hp * Wp rows: the conv keeps (or, for even filters, shrinks) H and W, "
             "the pool halves them (floored).")
@settings(max_examples=5)
@given(g=net_geometries(), seed=dst.seeds())
def test_net_params_and_scores(student, g, seed):
    """ThreeLayerConvNet: params' keys, shapes and dtype; loss(X) returns the scores"""
    net = student.ThreeLayerConvNet(**g.kwargs(reg=0.0))
    params = net.get("params")
    if not isinstance(params, dict):
        raise AssertionError(f"params must be a dict, got {type(params).__name__}")
    missing = sorted(set(g.shapes) - set(params))
    if missing:
        raise AssertionError(f"params lacks {', '.join(missing)}")
    for key, shape in g.shapes.items():
        value = expect_array(params[key], shape, name=f"params[{key!r}]", function=NET)
        if value.dtype != np.float64:
            raise AssertionError(f"params[{key!r}] has dtype {value.dtype}, expected float64")
    net.update("params", net_params(g, seed))
    X, _ = net_data(g, seed + 1)
    expect_array(net.loss(X), (g.n, g.classes), name="scores", function=f"{NET}.loss")


@graded(points=4, function=f"{NET}.loss",
        hint="Chain the layers' backward passes in reverse order; add reg * W to each weight's gradient.")
@settings(max_examples=4)
@given(g=net_geometries(filter_sizes=(2, 3)), reg=st.sampled_from([0.0, 0.7]), seed=dst.seeds())
def test_net_gradients(student, g, reg, seed):
    """ThreeLayerConvNet.loss: gradients of every parameter match numerical ones (with and without reg)"""
    params = net_params(g, seed)
    net = make_net(student, g, params, reg)
    X, y = net_data(g, seed + 1)
    loss, grads = net_loss(net, g, X, y)

    def loss_at(**point):
        net.update("params", point)
        return net.loss(X, y)[0]

    # The full check would evaluate the loss twice per parameter entry; a few random directions per
    # parameter (torch.autograd.gradcheck's fast mode) catch any wrong gradient as surely.
    check_gradients(loss_at, params, grads, function=f"{NET}.loss", directions=2, seed=seed, value=loss)
