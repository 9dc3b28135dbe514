"""Public tests: distances, the pair and triplet losses and batch mining on ordinary inputs."""

import numpy as np
from _siamese_triplet_util import (
    TRIPLET_INDICES,
    as32,
    assert_grad_close,
    balanced_labels,
    call_kept,
    call_mining,
    distances,
    draw_until,
    expect_grad,
    expect_loss,
    f32,
    f64,
    ints,
    lattice_points,
    mining_safe,
    own_gradients,
    point_sets,
    recall_inputs,
)
from hypothesis import given, settings

from autograder.toolkit import assert_close, expect_array, expect_scalar, expect_tuple, graded

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
    # Worked by hand, margin 2: a similar pair 5 apart (0.5 * 5**2), dissimilar pairs 1 apart
    # (0.5 * (2 - 1)**2) and 5 apart (beyond the margin: 0); the mean is 13 / 3.
    k1, k2 = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0], [0.6, 0.8], [4.0, 5.0]])
    loss = call_kept(student, "contrastive_loss", f32(k1), f32(k2), f32(np.array([1.0, 0.0, 0.0])), margin=2.0)
    assert_close(expect_loss(loss), 13 / 3, name="loss", rtol=F32)
    e1, e2 = _pairs(1)
    same = np.array([1, 0, 1, 0, 0, 1], dtype=np.float64)
    d = np.sqrt(((e1 - e2) ** 2).sum(1))
    assert np.all(np.abs(d - 1.0) > 1e-2), "test inputs must avoid the hinge's kink"
    loss = expect_loss(call_kept(student, "contrastive_loss", f32(e1), f32(e2), f32(same), margin=1.0))
    value, grads = student.grad("contrastive_loss", f64(e1), f64(e2), f64(same, grad=False), margin=1.0)
    assert_close(loss, expect_loss(value), name="loss of float32 embeddings (against float64)", rtol=F32)
    own = own_gradients(lambda *e: student.contrastive_loss(*e, f64(same, grad=False), margin=1.0), e1, e2)
    for name, x, got, numeric in zip(("emb1", "emb2"), (e1, e2), grads, own):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numeric, name=f"d{name}")


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
    # Worked by hand, margin 1: (d(a, p), d(a, n)) = (5, 10), (1, 1), (3, 1): terms 0, 1, 3; the mean is 4 / 3.
    ka, kp = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0], [0.0, 1.0], [1.0, 4.0]])
    kn = np.array([[6.0, 8.0], [0.6, 0.8], [1.0, 2.0]])
    loss = call_kept(student, "triplet_loss", f32(ka), f32(kp), f32(kn), margin=1.0)
    assert_close(expect_loss(loss), 4 / 3, name="loss", rtol=F32)
    a, p, n = _triplets(np.random.default_rng(2), 8, 2, 1.0)
    loss = expect_loss(call_kept(student, "triplet_loss", f32(a), f32(p), f32(n), margin=1.0))
    value, grads = student.grad("triplet_loss", f64(a), f64(p), f64(n), margin=1.0)
    assert_close(loss, expect_loss(value), name="loss of float32 embeddings (against float64)", rtol=F32)
    own = own_gradients(lambda *e: student.triplet_loss(*e, margin=1.0), a, p, n)
    for name, x, got, numeric in zip(("anchor", "positive", "negative"), (a, p, n), grads, own):
        assert_grad_close(expect_grad(got, x.shape, name=f"d{name}"), numeric, name=f"d{name}")


# Five points on a line, two classes of two and one of one, for the mining cases worked by hand.
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [4.5, 0.0], [10.0, 0.0]])
LINE_LABELS = np.array([5, 5, 2, 2, 7])


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
    with student.running_own(["pairwise_distances"]):
        # Worked by hand, margin 1.8: anchors 0 to 3 have hardest (positive, negative) distances (1, 3),
        # (1, 2), (1.5, 2), (1.5, 3.5): terms 0, 0.8, 1.3, 0; anchor 4 has no positive. The mean is 2.1 / 4.
        loss = call_mining(student, "batch_hard_triplet_loss", f32(LINE), ints(LINE_LABELS), margin=1.8)
        assert_close(expect_loss(loss), 2.1 / 4, name="loss", rtol=F32)
        for seed, margin in ((0, 1.0), (1, 0.5)):
            e, labels = _balanced_batch(seed, margin)
            loss = expect_loss(call_mining(student, "batch_hard_triplet_loss", f32(e), ints(labels), margin=margin))
            value, (grad,) = call_mining(student, "batch_hard_triplet_loss", f64(e), ints(labels), margin=margin,
                                         grad=True)
            assert_close(loss, expect_loss(value), name="loss of float32 embeddings (against float64)", rtol=F32)
            (numeric,) = own_gradients(lambda v, y=labels, m=margin: call_mining(
                student, "batch_hard_triplet_loss", v, ints(y), margin=m), e)
            assert_grad_close(expect_grad(grad, e.shape, name="dembeddings"), numeric, name="dembeddings")


@graded(points=5, function="batch_all_triplet_loss",
        hint="Sum relu(d(a, p) - d(a, n) + margin) over all valid triplets and divide by the number of "
             "triplets whose term is > 1e-16; fraction_positive = that number / the number of valid triplets.")
def test_batch_all(student):
    """batch_all_triplet_loss and fraction_positive on a batch of three classes of three"""
    with student.running_own(["pairwise_distances"]):
        # Worked by hand, margin 1.8: of the 12 valid triplets, 3 have a positive term, (anchor, positive,
        # negative) = (1, 0, 2): 1 - 2 + 1.8, (2, 3, 0): 1.5 - 3 + 1.8 and (2, 3, 1): 1.5 - 2 + 1.8.
        result = call_mining(student, "batch_all_triplet_loss", f32(LINE), ints(LINE_LABELS), margin=1.8)
        loss, fraction = expect_tuple(result, ("loss", "fraction_positive"), name="batch_all_triplet_loss result")
        assert_close(expect_loss(loss), (0.8 + 0.3 + 1.3) / 3, name="loss", rtol=F32)
        assert_close(expect_scalar(fraction, name="fraction_positive"), 3 / 12, name="fraction_positive", rtol=1e-9)
        for seed, margin in ((2, 1.0), (3, 0.5)):
            e, labels = _balanced_batch(seed, margin)
            result = call_mining(student, "batch_all_triplet_loss", f32(e), ints(labels), margin=margin)
            loss, _ = expect_tuple(result, ("loss", "fraction_positive"), name="batch_all_triplet_loss result")
            value, (grad,) = call_mining(student, "batch_all_triplet_loss", f64(e), ints(labels), margin=margin,
                                         grad=True, pick=0)
            assert_close(expect_loss(loss), expect_loss(value[0]), name="loss of float32 embeddings (against float64)",
                         rtol=F32)
            (numeric,) = own_gradients(lambda v, y=labels, m=margin: call_mining(
                student, "batch_all_triplet_loss", v, ints(y), margin=m)[0], e)
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
    with student.running_own(["pairwise_distances"]):
        # Worked by hand: the nearest other point of 0, 1, 3, 3.5, 10 is 1, 0, 3.5, 3, 3.5: two hits of five.
        points, classes = np.array([[0.0], [1.0], [3.0], [3.5], [10.0]]), np.array([0, 1, 1, 1, 0])
        got = expect_scalar(call_mining(student, "recall_at_k", f32(points), ints(classes), k=1), name="recall@1")
        assert_close(got, 0.4, name="recall@1", rtol=1e-9)
        # Whatever the points: 1 when every label is the same, 0 when no two are (a point is not its own neighbour).
        e, _labels, _k = inputs
        for labels, expected in ((np.zeros(len(e), dtype=np.int64), 1.0), (np.arange(len(e)) * 3 + 1, 0.0)):
            got = expect_scalar(call_mining(student, "recall_at_k", f32(e), ints(labels), k=1), name="recall@1")
            assert_close(got, expected, name=f"recall@1 with {'one label' if expected else 'distinct labels'}",
                         rtol=1e-9)
