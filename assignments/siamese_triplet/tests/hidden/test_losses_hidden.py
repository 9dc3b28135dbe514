"""Hidden tests: gradients in float64 on drawn inputs, coincident embeddings, torch as the oracle of
triplet_loss, boolean and integer is_same."""

import numpy as np
from _siamese_triplet_hidden import contrastive, triplet, triplet_with_grads
from _siamese_triplet_util import (
    assert_grad_close,
    distances,
    draw_until,
    expect_grad,
    expect_loss,
    f64,
    ints,
    lattice_points,
    point_sets,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import Tensor, assert_close, expect_array, graded, numerical_gradient
from autograder.toolkit import strategies as dst

MARGINS = st.sampled_from([0.3, 1.0, 2.5])


@graded(points=3, function="pairwise_distances", hint="Let autograd differentiate ||e_i - e_j||; keep it in float64.")
@settings(max_examples=15)
@given(e=point_sets(max_n=7, max_dim=3), squared=st.booleans(), seed=dst.seeds())
def test_pairwise_gradients(student, e, squared, seed):
    """pairwise_distances gradients against central differences (float64)"""
    upstream = np.random.default_rng(seed).standard_normal((len(e), len(e)))
    value, (grad,) = student.grad("pairwise_distances", f64(e), squared=squared, upstream=upstream)
    power = 2 if squared else 1
    assert_close(expect_array(value, (len(e), len(e)), name="distances"), distances(e) ** power, name="distances")
    numeric = numerical_gradient(lambda v: float(np.sum(distances(v) ** power * upstream)), e)
    assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), numeric, name="dembeddings")


def _with_duplicates(seed: int, n: int = 6, dim: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Rows 1 and 3 repeat row 0; the rest are distinct. Returns (embeddings, which rows are duplicated)."""
    e = lattice_points(np.random.default_rng(seed), n, dim)
    e[1] = e[0]
    e[3] = e[0]
    dup = np.zeros(n, dtype=bool)
    dup[[0, 1, 3]] = True
    return e, dup


@graded(points=2, function="pairwise_distances",
        hint="sqrt has an infinite derivative at 0: where a squared distance is 0 (the diagonal, identical rows), "
             "keep it out of sqrt, e.g. sqrt(where(d2 > 0, d2, 1)) and then put the 0 back.")
def test_pairwise_duplicate_rows(student):
    """pairwise_distances with identical rows: values, finite gradients"""
    e, dup = _with_duplicates(0)
    upstream = np.random.default_rng(1).standard_normal((len(e), len(e)))
    value, (grad,) = student.grad("pairwise_distances", f64(e), upstream=upstream)
    assert_close(expect_array(value, (len(e), len(e)), name="distances"), distances(e), name="distances")
    grad = expect_grad(grad, e.shape, name="dembeddings")
    # Rows that coincide with no other row have one gradient; the coincident ones only need a finite one.
    numeric = numerical_gradient(lambda v: float(np.sum(distances(v) * upstream)), e)
    mask = ~dup
    assert_grad_close(grad[mask], numeric[mask], name="dembeddings of the distinct rows")


@graded(points=2, function="contrastive_loss", hint="d = ||emb1 - emb2|| per row, then the formula; any margin.")
@settings(max_examples=15)
@given(n=dst.sizes(max_value=6), dim=dst.sizes(max_value=4), margin=MARGINS, seed=dst.seeds())
def test_contrastive_drawn(student, n, dim, margin, seed):
    """contrastive_loss value and gradients on drawn pairs and margins (float64)"""
    g = np.random.default_rng(seed)
    same = g.integers(0, 2, n).astype(np.float64)

    def make(r):
        e1 = r.uniform(-1, 1, (n, dim))
        return e1, e1 + r.uniform(-1, 1, (n, dim)) * margin

    def ok(pair):
        d = np.sqrt(((pair[0] - pair[1]) ** 2).sum(1))
        return bool(d.min() > 1e-2 and np.abs(d - margin).min() > 1e-3)

    e1, e2 = draw_until(g, make, ok)
    value, grads = student.grad("contrastive_loss", f64(e1), f64(e2), f64(same, grad=False), margin=margin)
    assert_close(expect_loss(value), contrastive(e1, e2, same, margin), name="loss")
    fs = {"emb1": lambda v: contrastive(v, e2, same, margin), "emb2": lambda v: contrastive(e1, v, same, margin)}
    for (name, f), x, got in zip(fs.items(), (e1, e2), grads):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numerical_gradient(f, x), name=f"d{name}")


@graded(points=2, function="contrastive_loss",
        hint="is_same may be a bool or an integer tensor: convert it with .to(d.dtype).")
def test_contrastive_bool_is_same(student):
    """contrastive_loss with a boolean and with an integer 0/1 is_same"""
    g = np.random.default_rng(5)
    e1 = lattice_points(g, 6, 2)
    e2 = e1 + g.uniform(-1, 1, e1.shape)
    same = np.array([True, False, True, True, False, False])
    numeric = numerical_gradient(lambda v: contrastive(v, e2, same, 1.5), e1)
    for mask in (Tensor(same, dtype="bool"), ints(same)):
        value, grads = student.grad("contrastive_loss", f64(e1), f64(e2), mask, margin=1.5)
        assert_close(expect_loss(value), contrastive(e1, e2, same, 1.5), name=f"loss with a {mask.dtype} is_same")
        assert_grad_close(expect_grad(grads[0], e1.shape, name="demb1"), numeric, name=f"demb1 ({mask.dtype})")


@graded(points=2, function="contrastive_loss",
        hint="At d = 0 the derivative of ||emb1 - emb2|| is 0/0: torch.linalg.vector_norm handles it, "
             "a hand-written sqrt(sum(diff**2)) gives nan.")
def test_contrastive_coincident(student):
    """contrastive_loss where emb1 and emb2 coincide: finite gradients"""
    g = np.random.default_rng(6)
    e1 = g.uniform(-1, 1, (6, 3))
    e2 = e1 + g.uniform(0.2, 0.6, e1.shape)
    e2[[0, 1, 4]] = e1[[0, 1, 4]]
    same = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    value, grads = student.grad("contrastive_loss", f64(e1), f64(e2), f64(same, grad=False), margin=1.0)
    assert_close(expect_loss(value), contrastive(e1, e2, same, 1.0), name="loss")
    got = expect_grad(grads[0], e1.shape, name="demb1")
    # Row 1 (a dissimilar pair at distance 0) has no single gradient; every other row does.
    numeric = numerical_gradient(lambda v: contrastive(v, e2, same, 1.0), e1)
    rows = np.array([0, 2, 3, 4, 5])
    assert_grad_close(got[rows], numeric[rows], name="demb1 of the other rows")
    expect_grad(grads[1], e2.shape, name="demb2")


@st.composite
def triplet_batches(draw):
    n, dim, margin = draw(dst.sizes(max_value=6)), draw(dst.sizes(max_value=4)), draw(MARGINS)
    g = np.random.default_rng(draw(dst.seeds()))

    def make(r):
        a = r.uniform(-1, 1, (n, dim))
        return a, a + r.uniform(-1, 1, a.shape) * margin, a + r.uniform(-1.5, 1.5, a.shape) * margin

    def ok(t):
        d_ap, d_an = (np.sqrt(((t[0] - x) ** 2).sum(1)) for x in t[1:])
        return bool(min(d_ap.min(), d_an.min()) > 1e-2 and np.abs(d_ap - d_an + margin).min() > 1e-3)

    return (*draw_until(g, make, ok), margin)


def _assert_agrees_with_torch(student, a: np.ndarray, p: np.ndarray, n: np.ndarray, margin: float) -> None:
    """triplet_loss's value and gradients against torch's triplet_margin_loss (float64), in closed form:
    the harness need not load torch for one formula (a grading's memory stays inside the budget)."""
    expected, expected_grads = triplet_with_grads(a, p, n, margin)
    value, grads = student.grad("triplet_loss", f64(a), f64(p), f64(n), margin=margin)
    assert_close(expect_loss(value), expected, name="loss")
    for name, want, got in zip(("anchor", "positive", "negative"), expected_grads, grads):
        assert_grad_close(expect_grad(got, a.shape, name=f"d{name}"), want, name=f"d{name}")


@graded(points=2, function="triplet_loss",
        hint="Your loss should equal F.triplet_margin_loss(a, p, n, margin, p=2, eps=0).")
@settings(max_examples=15)
@given(batch=triplet_batches())
def test_triplet_against_torch(student, batch):
    """triplet_loss against torch.nn.functional.triplet_margin_loss (float64)"""
    _assert_agrees_with_torch(student, *batch)


@graded(points=2, function="triplet_loss",
        hint="relu(d_ap - d_an + margin): the gradient is 0 where the hinge is inactive.")
@settings(max_examples=15)
@given(batch=triplet_batches())
def test_triplet_gradients(student, batch):
    """triplet_loss gradients against central differences of the formula (float64)"""
    a, p, n, margin = batch
    value, grads = student.grad("triplet_loss", f64(a), f64(p), f64(n), margin=margin)
    assert_close(expect_loss(value), triplet(a, p, n, margin), name="loss")
    fs = {"anchor": lambda v: triplet(v, p, n, margin), "positive": lambda v: triplet(a, v, n, margin),
          "negative": lambda v: triplet(a, p, v, margin)}
    for (name, f), x, got in zip(fs.items(), (a, p, n), grads):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numerical_gradient(f, x), name=f"d{name}")


@graded(points=1, function="triplet_loss",
        hint="Your loss should equal F.triplet_margin_loss(a, p, n, margin, p=2, eps=0) also for small distances: "
             "no eps added to the squared distance.")
def test_triplet_small_distances(student):
    """triplet_loss agrees with torch down to distances of 1e-3 (float64)"""
    g = np.random.default_rng(9)
    a = g.uniform(-1, 1, (6, 3))
    direction = g.standard_normal(a.shape)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    # Positives 1e-3 (the clause's bound) to 2e-3 away, negatives a little farther: every hinge active.
    p = a + direction * np.linspace(1e-3, 2e-3, len(a))[:, None]
    n = a - direction * np.linspace(3e-3, 4e-3, len(a))[:, None]
    _assert_agrees_with_torch(student, a, p, n, 1e-2)


@graded(points=2, function="triplet_loss",
        hint="A positive equal to its anchor has distance 0: the norm's gradient there must not be nan.")
def test_triplet_coincident(student):
    """triplet_loss where positives (or negatives) coincide with their anchors: finite gradients"""
    g = np.random.default_rng(7)
    a = g.uniform(-1, 1, (5, 3))
    p = a + g.uniform(0.2, 0.5, a.shape)
    n = a + g.uniform(0.5, 1.0, a.shape)
    p[[0, 2]] = a[[0, 2]]
    n[3] = a[3]
    value, grads = student.grad("triplet_loss", f64(a), f64(p), f64(n), margin=1.0)
    assert_close(expect_loss(value), triplet(a, p, n, 1.0), name="loss")
    got = [expect_grad(v, x.shape, name=f"d{name}") for name, x, v in zip(("anchor", "positive", "negative"),
                                                                              (a, p, n), grads)]
    # Rows 1 and 4 coincide nowhere: their gradients are unique.
    numeric = numerical_gradient(lambda v: triplet(v, p, n, 1.0), a)
    rows = np.array([1, 4])
    assert_grad_close(got[0][rows], numeric[rows], name="danchor of the other rows")
