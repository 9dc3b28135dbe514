"""Public tests: the fully connected network."""

import numpy as np
from _backprop_util import grads_dict, layered_scores, make_net, net_loss, net_params

from autograder.toolkit import assert_close, check_gradients, expect_array, expect_tuple, graded


@graded(points=4, function="FullyConnectedNet.loss",
        hint="Chain affine_forward/relu_forward, then softmax_loss; backprop in reverse order.")
def test_two_layer_net(student):
    """a one-hidden-layer net: scores, loss and gradients"""
    g = np.random.default_rng(1)
    X, y = g.standard_normal((4, 5)), g.integers(0, 3, 4)
    params = net_params([5, 6, 3], seed=2)
    net = make_net(student, [6], 5, 3, 0.0, params)
    scores = expect_array(net.loss(X), (4, 3), name="scores")
    assert_close(scores, layered_scores(student, params, X), name="scores")
    loss, grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss result")
    grads = grads_dict(grads, params)
    check_gradients(net_loss(net, X, y), params, grads, value=loss)
