"""Hidden tests: recall@k for k > 1, SiameseNet's weight sharing, train_triplet's loss history."""

import numpy as np
from _siamese_triplet_hidden import recall
from _siamese_triplet_util import (
    TRAINING_RELIES_ON,
    call_mining,
    digits_split,
    f32,
    grader_layers,
    ints,
    recall_inputs,
    siamese_report,
    trained_layers,
)
from hypothesis import given, settings

from autograder.toolkit import Mismatch, assert_close, expect_array, expect_probed, expect_scalar, graded


@graded(points=2, function="recall_at_k",
        hint="A hit when any of the k nearest other points shares the label (not only the k-th); never the "
             "point itself.")
@settings(max_examples=20)
@given(inputs=recall_inputs(max_k=4))
def test_recall_at_k(student, inputs):
    """recall_at_k for k from 1 to 4 against brute force"""
    e, labels, k = inputs
    got = expect_scalar(call_mining(student, "recall_at_k", f32(e), ints(labels), k=k), name=f"recall@{k}")
    assert_close(got, recall(e, labels, k), name=f"recall@{k}", rtol=1e-9)


@graded(points=2, function="SiameseNet",
        hint="Store the embedding net you are given and use that same module for both inputs (no copy).")
def test_siamese_shares_weights(student):
    """SiameseNet follows its embedding net's weights (one shared module)"""
    g = np.random.default_rng(1)
    report = siamese_report(student, g.uniform(0, 1, (4, 6)), g.uniform(0, 1, (4, 6)), embedding_dim=3)
    before = expect_array(report["before"]["net1"], (4, 3), name="embedding_net output", function="SiameseNet")
    after = expect_array(report["after"]["net1"], (4, 3), name="embedding_net output", function="SiameseNet")
    if np.allclose(before, after):
        raise AssertionError("lab test broken: changing the embedding net's weights did not change its output")
    for branch, direct in (("e1", "net1"), ("e2", "net2")):
        got = expect_array(report["after"][branch], (4, 3), name=branch, function="SiameseNet")
        want = expect_array(report["after"][direct], (4, 3), name=direct, function="SiameseNet")
        assert_close(got, want, name=f"{branch} after the embedding net's weights changed", rtol=1e-5,
                     function="SiameseNet")


@graded(points=2, function="train_triplet", timeout=60,
        hint="Return a list with one Python float per epoch (loss.item(), averaged over the epoch's batches), and "
             "train the model you are given in place, leaving X and y as they are.")
def test_train_history(student):
    """train_triplet returns one finite float per epoch, trains the model in place, leaves X and y alone"""
    X_train, y_train, _, _ = digits_split()
    X, y = X_train[:300], y_train[:300]
    layers = grader_layers(X.shape[1], 3, seed=4)
    report = student.probe("train", layers, X, y, seed=4, epochs=3, batch_size=64, function="train_triplet",
                           substitute=TRAINING_RELIES_ON)
    trained = trained_layers(report, layers, X, y)
    history = expect_probed(report["history"], name="history", expected="a list of floats")
    if len(history) != 3:
        raise Mismatch("history", f"expected 3 entries for epochs=3, got {len(history)}", function="train_triplet")
    for i, value in enumerate(history):
        value = expect_probed(value, name=f"history[{i}]", expected="a float")
        if not np.isfinite(value) or value < 0:
            raise Mismatch(f"history[{i}]", f"is {value}, expected a finite loss >= 0", function="train_triplet")
    if all(np.array_equal(a, b) for layer, start in zip(trained, layers) for a, b in zip(layer, start)):
        raise Mismatch("model", "its parameters did not change: train the model passed in, and call "
                       "optimizer.step()", function="train_triplet")
