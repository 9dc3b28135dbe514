"""Public tests: word embeddings, the temporal affine layer and the masked temporal softmax loss."""

import numpy as np
from _rnn_util import call_checked
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import assert_close, check_gradients, expect_array, expect_scalar, graded
from autograder.toolkit import strategies as dst


@st.composite
def embedding_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices with at least one repeated word, the embedding matrix and an upstream gradient."""
    n, t = draw(dst.sizes(max_value=3)), draw(dst.sizes(max_value=4))
    v, d = draw(dst.sizes(min_value=2, max_value=5)), draw(dst.sizes(max_value=4))
    g = np.random.default_rng(draw(dst.seeds()))
    x = g.integers(0, v, (n, t))
    if x.size > 1:
        x.flat[-1] = x.flat[0]
    return x, g.standard_normal((v, d)), g.standard_normal((n, t, d))


@st.composite
def loss_problems(draw: st.DrawFn, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, t, v = draw(dst.sizes(max_value=3)), draw(dst.sizes(max_value=4)), draw(dst.sizes(min_value=2, max_value=5))
    g = np.random.default_rng(draw(dst.seeds()))
    return scale * g.standard_normal((n, t, v)), g.integers(0, v, (n, t)), g.random((n, t)) < 0.7


@graded(points=1, function="word_embedding_forward", hint="out = W[x]")
@settings(max_examples=5)
@given(p=embedding_problems(), dtype=st.sampled_from([np.int64, np.int32, np.int16, np.uint8]))
def test_word_embedding_forward(student, p, dtype):
    """word_embedding_forward looks up every word, indices of any integer dtype"""
    x, W, _ = p
    x = x.astype(dtype)
    out, _cache = call_checked(student, "word_embedding_forward", x, W)
    assert_close(expect_array(out, (*x.shape, W.shape[1]), name="out"), W[x], name="out")


@graded(points=2, function="word_embedding_backward",
        hint="dW[x] += dout keeps only one gradient per repeated word; np.add.at(dW, x, dout) sums them.")
@settings(max_examples=10)
@given(p=embedding_problems())
def test_word_embedding_backward_repeated_words(student, p):
    """word_embedding_backward sums the gradients of repeated words"""
    x, W, dout = p
    _out, cache = call_checked(student, "word_embedding_forward", x, W)
    dW = student.word_embedding_backward(dout, cache)
    check_gradients(lambda W, x: W[x], {"W": W}, {"W": dW}, dout=dout, extra={"x": x},
                    function="word_embedding_backward")


def temporal_affine_problem(n: int, t: int, d: int, m: int, seed: int) -> tuple[np.ndarray, ...]:
    g = np.random.default_rng(seed)
    return tuple(g.standard_normal(shape) for shape in ((n, t, d), (d, m), (m,), (n, t, m)))


@graded(points=1, function="temporal_affine_forward", hint="out = x @ w + b at every time step.")
@settings(max_examples=5)
@given(n=dst.sizes(max_value=3), t=dst.sizes(max_value=4), d=dst.sizes(max_value=4), m=dst.sizes(max_value=4),
       seed=dst.seeds())
def test_temporal_affine_forward(student, n, t, d, m, seed):
    """temporal_affine_forward values"""
    x, w, b, _ = temporal_affine_problem(n, t, d, m, seed)
    out, _cache = call_checked(student, "temporal_affine_forward", x, w, b)
    assert_close(expect_array(out, (n, t, m), name="out"), x @ w + b, name="out")


@graded(points=2, function="temporal_affine_backward",
        hint="Reshape x to (N*T, D) and dout to (N*T, M); db sums over batch and time.")
@settings(max_examples=5)
@given(n=dst.sizes(max_value=3), t=dst.sizes(max_value=4), d=dst.sizes(max_value=4), m=dst.sizes(max_value=4),
       seed=dst.seeds())
def test_temporal_affine_backward(student, n, t, d, m, seed):
    """temporal_affine_backward against numerical gradients"""
    x, w, b, dout = temporal_affine_problem(n, t, d, m, seed)
    _out, cache = call_checked(student, "temporal_affine_forward", x, w, b)
    grads = call_checked(student, "temporal_affine_backward", dout, cache)
    check_gradients(lambda x, w, b: x @ w + b, {"x": x, "w": w, "b": b}, dict(zip("xwb", grads)), dout=dout,
                    function="temporal_affine_backward")


@graded(points=3, function="temporal_softmax_loss",
        hint="loss = -sum(mask * log softmax(x)[y]) / N; masked steps get a zero gradient.")
@settings(max_examples=8)
@given(p=loss_problems())
def test_temporal_softmax_loss(student, p):
    """temporal_softmax_loss value and gradient with a random mask"""
    # Worked by hand: probabilities 2/4 at (0, 0), 1/3 at (0, 1) and (1, 0); (1, 1) is masked out.
    known = np.zeros((2, 2, 3))
    known[0, 0, 1] = np.log(2.0)
    loss, _ = call_checked(student, "temporal_softmax_loss", known, np.array([[1, 0], [2, 2]]),
                           np.array([[True, True], [True, False]]))
    assert_close(expect_scalar(loss, name="loss"), np.log(18.0) / 2, name="loss")
    x, y, mask = p
    loss, dx = call_checked(student, "temporal_softmax_loss", x, y, mask)
    # A saturated softmax can make every entry of dx tiny, far below the central differences' own
    # rounding error (about 1e-16 * loss / h): the absolute floor keeps that noise from counting.
    check_gradients(student.temporal_softmax_loss, {"x": x}, {"x": dx}, extra={"y": y, "mask": mask}, pick=0,
                    floor=1e-3, value=loss)
    # With dx right, softmax(x)[n, t, y] = N * dx[n, t, y] + 1 where the mask is on: the loss is -sum
    # of log of that over the unmasked steps, / N.
    n = x.shape[0]
    picked = np.take_along_axis(expect_array(dx, x.shape, name="dx"), y[..., None], axis=2)[..., 0]
    log_p = np.log(np.where(mask, n * picked + 1, 1.0))
    assert_close(expect_scalar(loss, name="loss"), -log_p.sum() / n, name="loss")
