"""Public tests: distances, the pair and triplet losses and batch mining on ordinary inputs."""

import numpy as np
from _siamese_triplet_util import (
    TRIPLET_INDICES,
    as32,
    assert_grad_close,
    balanced_labels,
    batch_all,
    batch_hard,
    call_kept,
    call_mining,
    contrastive,
    distances,
    draw_until,
    expect_grad,
    expect_loss,
    f32,
    f64,
    ints,
    lattice_points,
    mining_safe,
    point_sets,
    recall,
    recall_inputs,
    triplet,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_array, expect_scalar, expect_tuple, graded, numerical_gradient

F32 = 1e-5  # float32 results: ~1e-6 from rounding on these well-separated inputs, ten times that allowed


@graded(points=4, function="pairwise_distances",
        hint="d[i, j] = ||e_i - e_j||: broadcast e[:, None, :] - e[None, :, :].")
@settings(max_examples=20)
@given(e=point_sets())
def test_pairwise_distances(student, e):
    """pairwise_distances on float32 embeddings"""
    e = as32(e)
    d = expect_array(call_kept(student, "pairwise_distances", f32(e)), (len(e), len(e)), name="distances")
    assert_close(d, distances(e), name="distances", rtol=F32)


@graded(points=2, function="pairwise_distances", hint="squared=True returns ||e_i - e_j||**2, with no square root.")
@settings(max_examples=10)
@given(e=point_sets())
def test_pairwise_distances_squared(student, e):
    """pairwise_distances(squared=True)"""
    e = as32(e)
    d = call_kept(student, "pairwise_distances", f32(e), squared=True)
    d = expect_array(d, (len(e), len(e)), name="squared distances")
    assert_close(d, distances(e) ** 2, name="squared distances", rtol=F32)


@graded(points=2, function="pairwise_distances",
        hint="The diagonal must be exactly 0: an eps added before the square root, or rounding in "
             "||a||^2 + ||b||^2 - 2ab, leaves it slightly positive; set it to 0.")
@settings(max_examples=10)
@given(e=point_sets())
def test_pairwise_distances_zero_diagonal(student, e):
    """pairwise_distances has an exactly zero diagonal"""
    e = as32(e * 10)
    for squared in (False, True):
        d = expect_array(student.pairwise_distances(f32(e), squared=squared), (len(e), len(e)), name="distances")
        if np.any(np.diag(d) != 0):
            i = int(np.flatnonzero(np.diag(d) != 0)[0])
            raise AssertionError(f"distances[{i}, {i}] is {float(d[i, i])!r}, not exactly 0 (squared={squared})")


def _pairs(seed: int, n: int = 6, dim: int = 3):
    g = np.random.default_rng(seed)
    e1 = lattice_points(g, n, dim)
    e2 = e1 + g.uniform(-1.2, 1.2, e1.shape)
    return e1, e2


@graded(points=4, function="contrastive_loss",
        hint="d = ||emb1 - emb2|| per row; 0.5 * mean(is_same * d**2 + (1 - is_same) * relu(margin - d)**2).")
def test_contrastive_loss(student):
    """contrastive_loss value and gradients"""
    e1, e2 = _pairs(1)
    same = np.array([1, 0, 1, 0, 0, 1], dtype=np.float64)
    d = np.sqrt(((e1 - e2) ** 2).sum(1))
    assert np.all(np.abs(d - 1.0) > 1e-2), "test inputs must avoid the hinge's kink"
    loss = expect_loss(call_kept(student, "contrastive_loss", f32(e1), f32(e2), f32(same), margin=1.0))
    assert_close(loss, contrastive(as32(e1), as32(e2), same, 1.0), name="loss", rtol=F32)
    value, grads = student.grad("contrastive_loss", f64(e1), f64(e2), f64(same, grad=False), margin=1.0)
    assert_close(expect_loss(value), contrastive(e1, e2, same, 1.0), name="loss (float64)")
    fs = {"emb1": lambda v: contrastive(v, e2, same, 1.0), "emb2": lambda v: contrastive(e1, v, same, 1.0)}
    for (name, f), x, got in zip(fs.items(), (e1, e2), grads):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numerical_gradient(f, x), name=f"d{name}")


def _triplets(rng: np.random.Generator, n: int, dim: int, margin: float):
    """Rows with active and inactive hinges, none near the kink, no distance near 0."""
    def make(g):
        a = lattice_points(g, n, dim)
        return a, a + g.uniform(-1, 1, a.shape), a + g.uniform(-2, 2, a.shape)

    def ok(t):
        d_ap, d_an = (np.sqrt(((t[0] - x) ** 2).sum(1)) for x in t[1:])
        terms = d_ap - d_an + margin
        return bool(min(d_ap.min(), d_an.min()) > 0.1 and np.abs(terms).min() > 1e-2
                    and np.any(terms < 0) and np.any(terms > 0))

    return draw_until(rng, make, ok)


@graded(points=4, function="triplet_loss", hint="mean(relu(||a - p|| - ||a - n|| + margin)) over the rows.")
def test_triplet_loss(student):
    """triplet_loss value and gradients"""
    a, p, n = _triplets(np.random.default_rng(2), 8, 2, 1.0)
    loss = expect_loss(call_kept(student, "triplet_loss", f32(a), f32(p), f32(n), margin=1.0))
    assert_close(loss, triplet(as32(a), as32(p), as32(n), 1.0), name="loss", rtol=F32)
    value, grads = student.grad("triplet_loss", f64(a), f64(p), f64(n), margin=1.0)
    assert_close(expect_loss(value), triplet(a, p, n, 1.0), name="loss (float64)")
    fs = {"anchor": lambda v: triplet(v, p, n, 1.0), "positive": lambda v: triplet(a, v, n, 1.0),
          "negative": lambda v: triplet(a, p, v, 1.0)}
    for (name, f), x, got in zip(fs.items(), (a, p, n), grads):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numerical_gradient(f, x), name=f"d{name}")


def _balanced_batch(seed: int, margin: float):
    labels = balanced_labels(3, 3, seed)
    e = draw_until(np.random.default_rng(seed), lambda g: g.uniform(-1, 1, (9, 2)),
                   lambda e: mining_safe(e, labels, margin) and np.min(distances(e) + np.eye(9)) > 0.1)
    return e, labels


@graded(points=5, function="batch_hard_triplet_loss",
        hint="Per anchor: the largest distance to a positive (same label, not itself) and the smallest to a "
             "negative; mean of relu(hardest_pos - hardest_neg + margin) over the anchors.")
def test_batch_hard(student):
    """batch_hard_triplet_loss on a batch of three classes of three"""
    for seed, margin in ((0, 1.0), (1, 0.5)):
        e, labels = _balanced_batch(seed, margin)
        loss = expect_loss(call_mining(student, "batch_hard_triplet_loss", f32(e), ints(labels), margin=margin))
        assert_close(loss, batch_hard(as32(e), labels, margin), name="loss", rtol=F32)
        value, (grad,) = call_mining(student, "batch_hard_triplet_loss", f64(e), ints(labels), margin=margin,
                                     grad=True)
        assert_close(expect_loss(value), batch_hard(e, labels, margin), name="loss (float64)")
        expected = numerical_gradient(lambda v, y=labels, m=margin: batch_hard(v, y, m), e)
        assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), expected, name="dembeddings")


@graded(points=5, function="batch_all_triplet_loss",
        hint="Sum relu(d(a, p) - d(a, n) + margin) over all valid triplets and divide by the number of "
             "triplets whose term is > 1e-16; fraction_positive = that number / the number of valid triplets.")
def test_batch_all(student):
    """batch_all_triplet_loss and fraction_positive on a batch of three classes of three"""
    for seed, margin in ((2, 1.0), (3, 0.5)):
        e, labels = _balanced_batch(seed, margin)
        expected, fraction = batch_all(as32(e), labels, margin)
        result = call_mining(student, "batch_all_triplet_loss", f32(e), ints(labels), margin=margin)
        loss, got_fraction = expect_tuple(result, ("loss", "fraction_positive"), name="batch_all_triplet_loss result")
        assert_close(expect_loss(loss), expected, name="loss", rtol=F32)
        assert_close(expect_scalar(got_fraction, name="fraction_positive"), fraction, name="fraction_positive",
                     rtol=1e-9)
        value, (grad,) = call_mining(student, "batch_all_triplet_loss", f64(e), ints(labels), margin=margin,
                                     grad=True, pick=0)
        assert_close(expect_loss(value[0]), batch_all(e, labels, margin)[0], name="loss (float64)")
        numeric = numerical_gradient(lambda v, y=labels, m=margin: batch_all(v, y, m)[0], e)
        assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), numeric, name="dembeddings")


@graded(points=3, function="sample_triplets",
        hint="anchor != positive, labels[anchor] == labels[positive], labels[negative] != labels[anchor].")
def test_sample_triplets_valid(student):
    """sample_triplets returns num_triplets valid triplets"""
    labels = np.array([3, 3, 1, 1, 1, 7, 0, 0, 0, 0], dtype=np.int64)
    result = expect_tuple(call_kept(student, "sample_triplets", labels, 200, seed=0), TRIPLET_INDICES,
                          name="sample_triplets result")
    a, p, n = (expect_array(v, (200,), name=name, kind="i") for v, name in zip(result, TRIPLET_INDICES))
    for name, idx in zip(TRIPLET_INDICES, (a, p, n)):
        if idx.min() < 0 or idx.max() >= len(labels):
            raise AssertionError(f"{name} holds an index outside 0..{len(labels) - 1}")
    bad = np.flatnonzero((a == p) | (labels[a] != labels[p]) | (labels[n] == labels[a]))
    if len(bad):
        i = int(bad[0])
        raise AssertionError(f"triplet {i} = ({a[i]}, {p[i]}, {n[i]}) with labels "
                             f"({labels[a[i]]}, {labels[p[i]]}, {labels[n[i]]}) is not valid")


@graded(points=3, function="recall_at_k",
        hint="For each point, find its nearest other point (set the diagonal of the distances to inf) and "
             "check its label; return the fraction of hits as a float.")
@settings(max_examples=15)
@given(inputs=recall_inputs(max_k=1))
def test_recall_at_1(student, inputs):
    """recall_at_k with k = 1"""
    e, labels, _k = inputs
    got = expect_scalar(call_mining(student, "recall_at_k", f32(e), ints(labels), k=1), name="recall@1")
    assert_close(got, recall(e, labels, 1), name="recall@1", rtol=1e-9)
