"""Hidden tests: each function leaves its arguments alone, float32 and float64, masks and labels
as tensors or arrays (each call also fails on a changed argument in the tests of values)."""

import numpy as np
from _siamese_triplet_util import call_kept, call_mining, f32, f64, ints, lattice_points

from autograder.toolkit import Tensor, graded

HINT = "Do not modify the tensors you are given (no in-place -=, /=, fill_ or index assignment on them)."


def _embeddings(seed: int, copies: int = 3) -> list[np.ndarray]:
    g = np.random.default_rng(seed)
    e = lattice_points(g, 6, 2)
    return [e] + [e + g.uniform(-1, 1, e.shape) for _ in range(copies - 1)]


LABELS = np.array([0, 0, 1, 1, 2, 2])


@graded(points=1, function="pairwise_distances", hint=HINT)
def test_pairwise_distances_arguments_unmodified(student):
    """pairwise_distances leaves its argument alone"""
    (e,) = _embeddings(20, 1)
    for make in (f32, f64):
        for squared in (False, True):
            call_kept(student, "pairwise_distances", make(e, grad=False), squared=squared)


@graded(points=1, function="contrastive_loss", hint=HINT)
def test_contrastive_loss_arguments_unmodified(student):
    """contrastive_loss leaves emb1, emb2 and is_same alone"""
    e1, e2 = _embeddings(21, 2)
    same = np.array([1, 0, 1, 0, 1, 0])
    for mask in (f32(same), Tensor(same.astype(bool), dtype="bool")):
        call_kept(student, "contrastive_loss", f32(e1), f32(e2), mask, margin=1.0)


@graded(points=1, function="triplet_loss", hint=HINT)
def test_triplet_loss_arguments_unmodified(student):
    """triplet_loss leaves anchor, positive and negative alone"""
    for make in (f32, f64):
        call_kept(student, "triplet_loss", *(make(x, grad=False) for x in _embeddings(22)), margin=1.0)


@graded(points=1, function="batch_hard_triplet_loss", hint=HINT)
def test_batch_hard_arguments_unmodified(student):
    """batch_hard_triplet_loss leaves embeddings and labels alone"""
    (e,) = _embeddings(23, 1)
    for make in (f32, f64):
        call_mining(student, "batch_hard_triplet_loss", make(e, grad=False), ints(LABELS), margin=1.0)


@graded(points=1, function="batch_all_triplet_loss", hint=HINT)
def test_batch_all_arguments_unmodified(student):
    """batch_all_triplet_loss leaves embeddings and labels alone"""
    (e,) = _embeddings(24, 1)
    for make in (f32, f64):
        call_mining(student, "batch_all_triplet_loss", make(e, grad=False), ints(LABELS), margin=1.0)


@graded(points=1, function="sample_triplets", hint=HINT)
def test_sample_triplets_arguments_unmodified(student):
    """sample_triplets leaves its labels alone, as an array and as a tensor"""
    labels = np.array([5, 1, 5, 1, 1, 7])
    for arg in (labels.copy(), ints(labels)):
        call_kept(student, "sample_triplets", arg, 50, seed=0)


@graded(points=1, function="recall_at_k", hint=HINT)
def test_recall_at_k_arguments_unmodified(student):
    """recall_at_k leaves embeddings and labels alone"""
    (e,) = _embeddings(25, 1)
    for k in (1, 2):
        call_mining(student, "recall_at_k", f32(e), ints(LABELS), k=k)
