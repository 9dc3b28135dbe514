"""Hidden tests: batch-hard and batch-all mining against brute-force enumeration on drawn label
patterns (classes of size one, a single class, all labels distinct), their gradients, coincident
embeddings, and triplet sampling."""

import numpy as np
from _siamese_triplet_hidden import batch_all, batch_hard
from _siamese_triplet_util import (
    TRIPLET_INDICES,
    assert_grad_close,
    call_kept,
    call_mining,
    expect_grad,
    expect_loss,
    f64,
    ints,
    lattice_points,
    mining_inputs,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import (
    Mismatch,
    assert_close,
    expect_array,
    expect_raises,
    expect_scalar,
    expect_tuple,
    graded,
    numerical_gradient,
)
from autograder.toolkit import strategies as dst

HARD_HINT = ("Only anchors with a positive (same label, not the anchor itself) and a negative count, and the mean "
             "is over those anchors; classes of size one anchor nothing.")
ALL_HINT = ("Valid triplets: a != p, same label, n of another label. Divide the sum by the number of terms > 1e-16 "
            "(not by the number of valid triplets); with no such term the loss is 0.")
COINCIDENT_HINT = ("Identical embeddings give zero distances, where sqrt has an infinite derivative: whatever you "
                   "compute from the distances must keep the gradients finite there.")


def _batch_all(student, e, labels, margin, grad=True):
    if grad:
        value, (dgrad,) = call_mining(student, "batch_all_triplet_loss", f64(e), ints(labels), margin=margin,
                                      grad=True, pick=0)
    else:
        value, dgrad = call_mining(student, "batch_all_triplet_loss", f64(e, grad=False), ints(labels),
                                   margin=margin), None
    loss, fraction = expect_tuple(value, ("loss", "fraction_positive"), name="batch_all_triplet_loss result")
    return expect_loss(loss), expect_scalar(fraction, name="fraction_positive"), dgrad


@graded(points=4, function="batch_hard_triplet_loss", hint=HARD_HINT)
@settings(max_examples=25)
@given(inputs=mining_inputs(min_n=2))
def test_batch_hard_label_patterns(student, inputs):
    """batch_hard_triplet_loss against brute force on drawn label patterns"""
    e, labels, margin = inputs
    value = call_mining(student, "batch_hard_triplet_loss", f64(e, grad=False), ints(labels), margin=margin)
    assert_close(expect_loss(value), batch_hard(e, labels, margin), name="loss")


@graded(points=3, function="batch_hard_triplet_loss", hint="Select with masks (torch.where) so gradients reach only "
        "the hardest positive and negative of each anchor.")
@settings(max_examples=15)
@given(inputs=mining_inputs(min_n=3, max_n=7))
def test_batch_hard_gradients(student, inputs):
    """batch_hard_triplet_loss gradients against central differences (float64)"""
    e, labels, margin = inputs
    value, (grad,) = call_mining(student, "batch_hard_triplet_loss", f64(e), ints(labels), margin=margin, grad=True)
    assert_close(expect_loss(value), batch_hard(e, labels, margin), name="loss")
    numeric = numerical_gradient(lambda v: batch_hard(v, labels, margin), e)
    assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), numeric, name="dembeddings")


NO_ANCHOR = [np.array([4, 4, 4, 4]), np.array([0, 5, 2, 9]), np.array([3])]


@graded(points=2, function="batch_hard_triplet_loss",
        hint="With no valid anchor return a differentiable 0, e.g. embeddings.sum() * 0 (not torch.tensor(0.), "
             "not nan from a mean over nothing).")
def test_batch_hard_no_valid_anchor(student):
    """batch_hard_triplet_loss is 0, and differentiable, when no anchor qualifies"""
    g = np.random.default_rng(10)
    for labels in NO_ANCHOR:
        e = g.uniform(-1, 1, (len(labels), 3))
        value, (grad,) = call_mining(student, "batch_hard_triplet_loss", f64(e), ints(labels), margin=1.0, grad=True)
        assert_close(expect_loss(value), 0.0, name=f"loss for labels {labels.tolist()}", floor=1e-12)
        if grad is not None:
            assert_close(expect_array(grad, e.shape, name="dembeddings"), np.zeros_like(e), name="dembeddings",
                         floor=1e-12)


def _coincident_batch(seed: int):
    """Rows 1 and 4 repeat row 0 (same class), row 6 repeats row 2 (another class)."""
    e = lattice_points(np.random.default_rng(seed), 8, 2) * 0.4
    labels = np.array([0, 0, 1, 1, 0, 2, 2, 1])
    e[[1, 4]] = e[0]
    e[6] = e[2]
    return e, labels


@graded(points=2, function="batch_hard_triplet_loss", hint=COINCIDENT_HINT)
def test_batch_hard_coincident(student):
    """batch_hard_triplet_loss with identical embeddings: value and finite gradients"""
    e, labels = _coincident_batch(11)
    value, (grad,) = call_mining(student, "batch_hard_triplet_loss", f64(e), ints(labels), margin=1.0, grad=True)
    assert_close(expect_loss(value), batch_hard(e, labels, 1.0), name="loss")
    expect_grad(grad, e.shape, name="dembeddings")


@graded(points=4, function="batch_all_triplet_loss", hint=ALL_HINT)
@settings(max_examples=25)
@given(inputs=mining_inputs(min_n=2))
def test_batch_all_label_patterns(student, inputs):
    """batch_all_triplet_loss and fraction_positive against brute force on drawn label patterns"""
    e, labels, margin = inputs
    expected, fraction = batch_all(e, labels, margin)
    loss, got_fraction, _ = _batch_all(student, e, labels, margin, grad=False)
    assert_close(loss, expected, name="loss")
    assert_close(got_fraction, fraction, name="fraction_positive", rtol=1e-9, floor=1e-12)


@graded(points=3, function="batch_all_triplet_loss", hint=ALL_HINT)
@settings(max_examples=15)
@given(inputs=mining_inputs(min_n=3, max_n=7))
def test_batch_all_gradients(student, inputs):
    """batch_all_triplet_loss gradients against central differences (float64)"""
    e, labels, margin = inputs
    loss, _, grad = _batch_all(student, e, labels, margin)
    assert_close(loss, batch_all(e, labels, margin)[0], name="loss")
    numeric = numerical_gradient(lambda v: batch_all(v, labels, margin)[0], e)
    assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), numeric, name="dembeddings")


@graded(points=2, function="batch_all_triplet_loss",
        hint="No valid triplet, or no positive term: the loss is a differentiable 0 and fraction_positive 0.0 "
             "(no division by zero).")
def test_batch_all_degenerate(student):
    """batch_all_triplet_loss with no valid triplet, and with every term 0"""
    g = np.random.default_rng(12)
    for labels in NO_ANCHOR:
        e = g.uniform(-1, 1, (len(labels), 3))
        loss, fraction, _ = _batch_all(student, e, labels, 1.0)
        assert_close(loss, 0.0, name=f"loss for labels {labels.tolist()}", floor=1e-12)
        assert_close(fraction, 0.0, name=f"fraction_positive for labels {labels.tolist()}", floor=1e-12)
    # Two tight, far-apart classes: every triplet is easy, every term exactly 0.
    labels = np.array([0, 0, 0, 1, 1, 1])
    e = np.concatenate([g.uniform(-0.1, 0.1, (3, 2)), 10 + g.uniform(-0.1, 0.1, (3, 2))])
    loss, fraction, grad = _batch_all(student, e, labels, 1.0)
    assert_close(loss, 0.0, name="loss when every term is 0", floor=1e-12)
    assert_close(fraction, 0.0, name="fraction_positive when every term is 0", floor=1e-12)
    if grad is not None:
        assert_close(expect_array(grad, e.shape, name="dembeddings"), np.zeros_like(e), name="dembeddings",
                     floor=1e-12)


@graded(points=1, function="batch_all_triplet_loss",
        hint="Count a term only when it is > 1e-16: a term exactly 0 (d(a, n) = d(a, p) + margin) is not "
             "positive, a term of 1e-12 is.")
def test_batch_all_hinge_edge(student):
    """batch_all_triplet_loss counts terms above 1e-16, not terms exactly at the hinge's edge"""
    # One-dimensional embeddings at multiples of 0.5: every distance and term is exact in float64,
    # whichever way the distances are computed. With margin 1, two of the 8 valid triplets sit exactly
    # on the edge (term 0) and 3 are positive; with margin 1 + 2**-40 the edge terms are 2**-40 and count.
    e = np.array([[0.0], [0.5], [1.5], [3.0]])
    labels = np.array([0, 0, 1, 1])
    for margin, positive in ((1.0, 3), (1.0 + 2.0**-40, 5)):
        expected, fraction = batch_all(e, labels, margin)
        assert fraction == positive / 8, "lab test broken: the edge terms are not where intended"
        loss, got_fraction, _ = _batch_all(student, e, labels, margin, grad=False)
        assert_close(got_fraction, fraction, name=f"fraction_positive with margin {margin!r}", rtol=1e-12)
        assert_close(loss, expected, name=f"loss with margin {margin!r}", rtol=1e-12)


@graded(points=2, function="batch_all_triplet_loss", hint=COINCIDENT_HINT)
def test_batch_all_coincident(student):
    """batch_all_triplet_loss with identical embeddings: value and finite gradients"""
    e, labels = _coincident_batch(13)
    loss, fraction, grad = _batch_all(student, e, labels, 1.0)
    expected, expected_fraction = batch_all(e, labels, 1.0)
    assert_close(loss, expected, name="loss")
    assert_close(fraction, expected_fraction, name="fraction_positive", rtol=1e-9)
    expect_grad(grad, e.shape, name="dembeddings")


def _sample(student, labels, num, seed=None, as_tensor=False):
    arg = ints(labels) if as_tensor else labels
    fn = "sample_triplets"
    result = expect_tuple(call_kept(student, fn, arg, num, seed=seed), TRIPLET_INDICES, name=f"{fn} result",
                          function=fn)
    out = [expect_array(v, (num,), name=n, kind="i", function=fn) for v, n in zip(result, TRIPLET_INDICES)]
    for name, idx in zip(TRIPLET_INDICES, out):
        if len(idx) and (idx.min() < 0 or idx.max() >= len(labels)):
            raise Mismatch(name, f"holds an index outside 0..{len(labels) - 1}", function="sample_triplets")
    a, p, n = out
    bad = np.flatnonzero((a == p) | (labels[a] != labels[p]) | (labels[n] == labels[a]))
    if len(bad):
        raise Mismatch("triplets", f"{len(bad)} of {num} are not valid (a == p, a different label at p, or "
                       "the anchor's label at n)", function="sample_triplets")
    return a, p, n


@st.composite
def class_layouts(draw):
    """Labels of 2-5 classes of sizes 1-8 (at least one with two members), shuffled, arbitrary values."""
    sizes = draw(st.lists(dst.sizes(max_value=8), min_size=2, max_size=5).filter(lambda s: max(s) >= 2))
    rng = np.random.default_rng(draw(dst.seeds()))
    values = rng.choice(50, size=len(sizes), replace=False)
    return rng.permutation(np.repeat(values, sizes)).astype(np.int64)


@graded(points=2, function="sample_triplets",
        hint="Draw anchors from every point whose class has at least two members (or pick such a class first).")
@settings(max_examples=10)
@given(labels=class_layouts(), seed=dst.seeds())
def test_sample_triplets_coverage(student, labels, seed):
    """sample_triplets draws valid triplets with anchors from every class that can anchor one"""
    a, _p, _n = _sample(student, labels, 400, seed=seed % 1000)
    values, counts = np.unique(labels, return_counts=True)
    missing = sorted(set(values[counts >= 2].tolist()) - set(labels[a].tolist()))
    if missing:
        raise Mismatch("anchor_idx", f"no anchor of {len(missing)} class(es) that can anchor a triplet in 400 draws",
                       function="sample_triplets")


@graded(points=2, function="sample_triplets",
        hint="Raise ValueError when no class has two members or there is only one class, and only then: a class "
             "of two and one other point make a valid triplet.")
def test_sample_triplets_value_error(student):
    """sample_triplets raises ValueError when no valid triplet exists, and not on the smallest batch with one"""
    for labels in (np.array([1, 1, 1, 1]), np.array([0, 1, 2, 3]), np.array([5])):
        expect_raises(lambda y=labels: student.sample_triplets(y, 5, seed=0),
                      name=f"sample_triplets({labels.tolist()}, 5)", function="sample_triplets")
    a, p, n = _sample(student, np.array([8, 3, 8]), 5, seed=0)
    if set(a.tolist()) - {0, 2} or set(n.tolist()) != {1}:
        raise Mismatch("triplets", "of labels [8, 3, 8] must anchor at 0 or 2 and take 1 as the negative",
                       function="sample_triplets")


@graded(points=2, function="sample_triplets",
        hint="Accept a torch tensor of labels (convert with .cpu().numpy()); seed a numpy Generator with seed.")
def test_sample_triplets_tensor_and_seed(student):
    """sample_triplets takes torch labels, and a given seed repeats the draw"""
    labels = np.array([2, 2, 0, 0, 0, 4, 4, 1])
    first = _sample(student, labels, 60, seed=123, as_tensor=True)
    again = _sample(student, labels, 60, seed=123)
    for name, x, y in zip(TRIPLET_INDICES, first, again):
        if not np.array_equal(x, y):
            raise Mismatch(name, "differs between two calls with the same seed", function="sample_triplets")
