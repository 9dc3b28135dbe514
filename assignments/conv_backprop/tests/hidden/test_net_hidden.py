"""Hidden tests of ThreeLayerConvNet against the same network in torch."""

from _conv_backprop_hidden import three_layer_net
from _conv_backprop_util import NetGeometry, make_net, net_data, net_geometries, net_loss, net_params
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import assert_close, assert_unmodified, expect_array, graded
from autograder.toolkit import strategies as dst

LOSS = "ThreeLayerConvNet.loss"


def check_gradients_oracle(student, g: NetGeometry, reg: float, seed: int) -> None:
    params = net_params(g, seed)
    net = make_net(student, g, params, reg)
    X, y = net_data(g, seed + 1)
    loss, grads = net_loss(net, g, X, y)
    _, expected_loss, expected = three_layer_net(params, X, y, reg)
    assert_close(loss, expected_loss, name="loss", function=LOSS)
    for key in g.shapes:
        assert_close(grads[key], expected[key], name=f"grads[{key!r}]", function=LOSS)


@graded(points=3, function=LOSS)
@settings(max_examples=12)
@given(g=net_geometries(), reg=st.sampled_from([0.0, 0.3]), seed=dst.seeds())
def test_net_scores_and_loss_oracle(student, g, reg, seed):
    """ThreeLayerConvNet.loss: scores and loss equal torch's (any filter size, with and without reg)"""
    params = net_params(g, seed)
    net = make_net(student, g, params, reg)
    X, y = net_data(g, seed + 1)
    scores, expected_loss, _ = three_layer_net(params, X, y, reg)
    assert_close(expect_array(net.loss(X), (g.n, g.classes), name="scores", function=LOSS), scores,
                 name="scores", function=LOSS)
    loss, _ = net_loss(net, g, X, y)
    assert_close(loss, expected_loss, name="loss", function=LOSS)


@graded(points=4, function=LOSS)
@settings(max_examples=12)
@given(g=net_geometries(filter_sizes=(1, 3, 5)), reg=st.sampled_from([0.0, 0.3]), seed=dst.seeds())
def test_net_gradients_odd_filters_oracle(student, g, reg, seed):
    """ThreeLayerConvNet.loss: gradients equal torch's, odd filter sizes, with and without reg"""
    check_gradients_oracle(student, g, reg, seed)


@graded(points=3, function=LOSS, hint="pad = (filter_size - 1) // 2 also for even sizes; the pool floors.")
@settings(max_examples=12)
@given(g=net_geometries(filter_sizes=(2, 4)), seed=dst.seeds())
def test_net_gradients_even_filters_oracle(student, g, seed):
    """ThreeLayerConvNet.loss: gradients equal torch's, even filter sizes (odd-sized conv outputs)"""
    check_gradients_oracle(student, g, 0.5, seed)


@graded(points=1, function=LOSS, hint="Hp = Wp = 1 is a valid size: the pool keeps one window.")
def test_net_smallest_input_oracle(student):
    """ThreeLayerConvNet.loss: gradients equal torch's on the smallest inputs, pooled to 1 x 1"""
    for filter_size in (1, 2, 3, 4, 5):
        side = filter_size + 1 - 2 * ((filter_size - 1) // 2)  # a conv output of 2, pooled to 1
        g = NetGeometry(n=2, c=2, h=side, w=side, filters=2, filter_size=filter_size, hidden=3, classes=3)
        check_gradients_oracle(student, g, 0.2, seed=filter_size)


@graded(points=1, function=LOSS)
@settings(max_examples=3)
@given(g=net_geometries(), seed=dst.seeds())
def test_net_arguments_unmodified(student, g, seed):
    """ThreeLayerConvNet.loss leaves X and y unmodified"""
    net = make_net(student, g, net_params(g, seed), 0.1)
    X, y = net_data(g, seed + 1)
    _, args, _ = net.loss.echo(X, y)
    assert_unmodified({"X": X, "y": y}, {"X": args[0], "y": args[1]}, function=LOSS)
