"""Public tests: the networks, and training end to end on scikit-learn's bundled 8x8 digits."""

import numpy as np
from _siamese_triplet_util import digits_split, judged_embeddings, siamese_report
from sklearn.neighbors import NearestNeighbors

from autograder.toolkit import Mismatch, assert_close, assert_unmodified, expect_array, expect_probed, graded

# recall@1 of the held-out digits with a 2-d embedding after train_triplet's defaults (20 epochs, batch
# 128, lr 1e-3, margin 1; the probe trains its own net, of the reference's architecture), measured:
# 0.84-0.89 with batch-all mining in 5 seeds of the reference, 0.60-0.84 for random triplets (0.69-0.81
# without normalised embeddings) across architectures, against 0.10-0.36 untrained (90 networks) and
# 0.11-0.15 with the loss's sign flipped. Batch-hard mining alone from a random start often collapses
# (0.13-0.70): the instructions say so.
RECALL_THRESHOLD = 0.55
SEEDS = (0, 1, 2)  # the contract: try further seeds, up to 3, before failing


def _recall_at_1(e: np.ndarray, labels: np.ndarray) -> float:
    """The fraction of points whose nearest other point (by scikit-learn) shares their label."""
    _, nearest = NearestNeighbors(n_neighbors=2).fit(e).kneighbors(e)
    other = np.where(nearest[:, 0] == np.arange(len(e)), nearest[:, 1], nearest[:, 0])
    return float(np.mean(labels[other] == labels))


def _embedding_output(report: object, x: np.ndarray, shape: tuple) -> np.ndarray:
    if not isinstance(report, dict) or "out" not in report:
        raise Mismatch("EmbeddingNet", "the probe returned nothing usable", function="EmbeddingNet")
    assert_unmodified({"x": x.astype(np.float32)}, {"x": report["input_after"]}, function="EmbeddingNet")
    out = expect_probed(report["out"], name="EmbeddingNet output", expected="a tensor", function="EmbeddingNet")
    return expect_array(out, shape, name="EmbeddingNet output", function="EmbeddingNet")


@graded(points=1, function="EmbeddingNet",
        hint="EmbeddingNet(input_dim=64, embedding_dim=16) maps (N, input_dim) to (N, embedding_dim).")
def test_networks(student):
    """EmbeddingNet output shapes, with the default and other sizes"""
    g = np.random.default_rng(0)
    x = g.uniform(0, 1, (5, 64))
    out = _embedding_output(student.probe("embed", x, function="EmbeddingNet"), x, (5, 16))
    if out.dtype != np.float32:
        raise Mismatch("EmbeddingNet output", f"expected float32, got {out.dtype}", function="EmbeddingNet")
    x = g.uniform(0, 1, (4, 10))
    _embedding_output(student.probe("embed", x, input_dim=10, embedding_dim=3, function="EmbeddingNet"), x, (4, 3))


@graded(points=1, function="SiameseNet",
        hint="SiameseNet(embedding_net).forward(x1, x2) returns (embedding_net(x1), embedding_net(x2)).")
def test_siamese_branches(student):
    """SiameseNet's two branches are its embedding net's outputs"""
    g = np.random.default_rng(0)
    report = siamese_report(student, g.uniform(0, 1, (3, 8)), g.uniform(0, 1, (3, 8)), embedding_dim=4)
    stage = report["before"]
    for branch, direct in (("e1", "net1"), ("e2", "net2")):
        got = expect_array(stage[branch], (3, 4), name=branch, function="SiameseNet")
        assert_close(got, stage[direct], name=branch, rtol=1e-5, function="SiameseNet")


@graded(points=6, function="train_triplet", timeout=150,
        hint="Adam(model.parameters(), lr); each mini-batch: zero_grad, loss (batch-all mining or random "
             "triplets), backward, step. Check recall_at_k on held-out embeddings yourself.")
def test_training_reaches_recall(student):
    """train_triplet on the digits: held-out recall@1 of a 2-d embedding"""
    X_train, y_train, X_test, y_test = digits_split()
    recalls = []
    for seed in SEEDS:
        report = student.probe("train_and_embed", X_train, y_train, X_test, seed=seed, embedding_dim=2,
                               function="train_triplet")
        e = judged_embeddings(report, len(y_test), X_train, y_train).astype(np.float64)
        recalls.append(_recall_at_1(e, y_test))
        if recalls[-1] >= RECALL_THRESHOLD:
            return
    raise AssertionError(
        f"held-out recall@1 after train_triplet was {', '.join(f'{r:.3f}' for r in recalls)} with seeds "
        f"{SEEDS}; at least {RECALL_THRESHOLD} is needed once (an untrained network gets about 0.25)")
