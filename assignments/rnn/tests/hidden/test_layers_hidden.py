"""Hidden tests for word embeddings, the temporal affine layer and the temporal softmax loss: torch
as the oracle, masks that hide whole sequences, normalisation by N, extreme scores."""

import numpy as np
from _rnn_hidden import torch_embedding, torch_temporal_affine, torch_temporal_softmax_loss
from _rnn_util import call_checked
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_array, expect_scalar, graded
from autograder.toolkit import strategies as dst


def check_embedding(student, x: np.ndarray, W: np.ndarray, dout: np.ndarray) -> None:
    _, expected_dW = torch_embedding(x, W, dout)
    # Only the cache of the forward pass is used: its output is the forward tests' business.
    _, cache = call_checked(student, "word_embedding_forward", x, W)
    dW = expect_array(student.word_embedding_backward(dout, cache), W.shape, name="dW")
    assert_close(dW, expected_dW, name="dW", rtol=1e-12)


def check_loss(student, x: np.ndarray, y: np.ndarray, mask: np.ndarray, loss_floor: float | None = None,
               dx_floor: float | None = None) -> None:
    expected_loss, expected_dx = torch_temporal_softmax_loss(x, y, mask)
    loss, dx = call_checked(student, "temporal_softmax_loss", x, y, mask)
    assert_close(expect_scalar(loss, name="loss"), expected_loss, name="loss", floor=loss_floor)
    assert_close(expect_array(dx, x.shape, name="dx"), expected_dx, name="dx", floor=dx_floor)


@graded(points=1, function="word_embedding_backward",
        hint="dW has W's shape (V, D), whatever the largest index in x; x may be any integer dtype.")
def test_embedding_vocabulary_and_index_dtypes(student):
    """word_embedding_backward with unused words and int16, int32, int64 or uint8 indices"""
    g = np.random.default_rng(31)
    W = g.standard_normal((12, 3))
    for dtype in (np.int64, np.int32, np.int16, np.uint8):
        x = g.integers(0, 6, (3, 4)).astype(dtype)
        check_embedding(student, x, W, g.standard_normal((3, 4, 3)))


@graded(points=1, function="word_embedding_backward",
        hint="Use np.add.at(dW, x, dout): it accumulates repeated indices.")
@settings(max_examples=8)
@given(n=dst.sizes(max_value=4), t=dst.sizes(min_value=2, max_value=6), v=dst.sizes(max_value=3), seed=dst.seeds())
def test_embedding_many_repeats(student, n, t, v, seed):
    """word_embedding_backward when a few words fill every sentence"""
    g = np.random.default_rng(seed)
    check_embedding(student, g.integers(0, v, (n, t)), g.standard_normal((v + 2, 3)), g.standard_normal((n, t, 3)))


@graded(points=1, function="temporal_affine_backward", hint="db sums over batch and time; dw over both too.")
@settings(max_examples=8)
@given(n=dst.sizes(max_value=5), t=dst.sizes(max_value=6), d=dst.sizes(max_value=6), m=dst.sizes(max_value=6),
       seed=dst.seeds())
def test_temporal_affine_against_torch(student, n, t, d, m, seed):
    """temporal_affine_backward matches torch"""
    g = np.random.default_rng(seed)
    x, w, b, dout = (g.standard_normal(s) for s in ((n, t, d), (d, m), (m,), (n, t, m)))
    _, expected = torch_temporal_affine(x, w, b, dout)
    _, cache = call_checked(student, "temporal_affine_forward", x, w, b)
    grads = call_checked(student, "temporal_affine_backward", dout, cache)
    for k, value, got in zip("xwb", (x, w, b), grads):
        assert_close(expect_array(got, value.shape, name=f"d{k}"), expected[k], name=f"d{k}")


@graded(points=2, function="temporal_softmax_loss",
        hint="A sequence whose mask is all False adds nothing to the loss and gets a zero gradient.")
@settings(max_examples=8)
@given(n=dst.sizes(min_value=2, max_value=5), t=dst.sizes(max_value=5), v=dst.sizes(min_value=2, max_value=6),
       seed=dst.seeds())
def test_softmax_loss_hidden_sequences(student, n, t, v, seed):
    """temporal_softmax_loss with masks that hide whole sequences"""
    g = np.random.default_rng(seed)
    x, y = 2.0 * g.standard_normal((n, t, v)), g.integers(0, v, (n, t))
    mask = g.random((n, t)) < 0.8
    hidden_rows = g.permutation(n)[: max(1, n // 2)]
    mask[hidden_rows] = False
    check_loss(student, x, y, mask)


@graded(points=2, function="temporal_softmax_loss", hint="Divide by N, the batch size, not by mask.sum().")
def test_softmax_loss_normalised_by_batch_size(student):
    """temporal_softmax_loss divides by N, not by the number of unmasked steps"""
    g = np.random.default_rng(34)
    for n, t in ((3, 4), (2, 7), (1, 5)):
        x, y = g.standard_normal((n, t, 6)), g.integers(0, 6, (n, t))
        check_loss(student, x, y, np.ones((n, t), dtype=bool))


@graded(points=2, function="temporal_softmax_loss",
        hint="Subtract each row's maximum before exponentiating, or use log-sum-exp.")
@settings(max_examples=8)
@given(n=dst.sizes(max_value=4), t=dst.sizes(max_value=4), v=dst.sizes(min_value=2, max_value=6), seed=dst.seeds())
def test_softmax_loss_extreme_scores(student, n, t, v, seed):
    """temporal_softmax_loss stays finite and right for scores up to 1e4"""
    g = np.random.default_rng(seed)
    x = g.uniform(-1e4, 1e4, (n, t, v))
    y, mask = g.integers(0, v, (n, t)), g.random((n, t)) < 0.7
    # log-sum-exp minus the target's score cancels terms of size 1e4, so any float64 formula is off by
    # about 1e-16 * 1e4 per step: a loss near 0 is judged by that absolute error. Probabilities such as
    # exp(-1e3) are as good as 0.
    check_loss(student, x, y, mask, loss_floor=1e-4, dx_floor=1e-9)


@graded(points=1, function="temporal_softmax_loss", hint="dx = mask * (softmax(x) - onehot(y)) / N.")
@settings(max_examples=10)
@given(n=dst.sizes(max_value=5), t=dst.sizes(max_value=6), v=dst.sizes(min_value=2, max_value=8), seed=dst.seeds())
def test_softmax_loss_against_torch(student, n, t, v, seed):
    """temporal_softmax_loss matches torch's cross-entropy over many shapes and masks"""
    g = np.random.default_rng(seed)
    check_loss(student, 3.0 * g.standard_normal((n, t, v)), g.integers(0, v, (n, t)), g.random((n, t)) < 0.6)
