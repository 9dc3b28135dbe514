"""Helpers shared by the siamese_triplet lab's public and hidden tests (harness side).

Inputs are drawn away from every kink: no two relevant distances tie, no hinge term is near 0, and
distinct points are not nearly coincident, so that one gradient is the right one. The distances and
the valid triplets are here because those conditions need them; the losses' and recall's own
formulas are the hidden tests' oracles (``_siamese_triplet_hidden.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st

from autograder.toolkit import (
    Mismatch,
    Student,
    Tensor,
    assert_close,
    assert_unmodified,
    expect_array,
    expect_probed,
    expect_scalar,
    expect_tensor,
    numerical_gradient,
)
from autograder.toolkit import strategies as dst

GAP = 1e-3  # how far kinks and ties stay from the test inputs (central differences use h = 1e-6)


# ---- what the input conditions measure -----------------------------------------------------------
def distances(e: np.ndarray) -> np.ndarray:
    return np.sqrt(((e[:, None, :] - e[None, :, :]) ** 2).sum(-1))


def valid_triplets(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (a, p, n) with a != p, labels[a] == labels[p] and labels[n] != labels[a]."""
    return _valid_triplets(tuple(int(v) for v in labels))


@lru_cache(maxsize=256)
def _valid_triplets(labels: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(labels)
    rows = [(a, p, q) for a in range(n) for p in range(n) for q in range(n)
            if a != p and labels[a] == labels[p] and labels[q] != labels[a]]
    out = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return out[:, 0], out[:, 1], out[:, 2]


def hard_anchors(labels: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(anchor, positives, negatives) for every anchor with at least one of each."""
    out = []
    for a in range(len(labels)):
        pos = np.flatnonzero((labels == labels[a]) & (np.arange(len(labels)) != a))
        neg = np.flatnonzero(labels != labels[a])
        if len(pos) and len(neg):
            out.append((a, pos, neg))
    return out


def assert_grad_close(got: np.ndarray, expected: np.ndarray, *, name: str, function: str | None = None) -> None:
    """A gradient against central differences: relative 1e-5, with a floor above their rounding noise
    (~1e-10 for these losses), which matters where the true gradient is 0 (inactive hinges)."""
    floor = max(1e-3 * float(np.max(np.abs(expected), initial=0.0)), 1e-4)
    assert_close(got, expected, name=name, rtol=1e-5, floor=floor, function=function)


def own_gradients(loss: Callable[..., object], *inputs: np.ndarray) -> list[np.ndarray]:
    """Central differences of the submission's own float64 ``loss(*tensors)`` (``inputs`` as tensors)
    with respect to each of ``inputs``: what its autograd gradients must equal, whatever its value."""
    def value(i: int, v: np.ndarray) -> float:
        return expect_loss(loss(*(f64(v if j == i else x, grad=False) for j, x in enumerate(inputs))))

    return [numerical_gradient(lambda v, i=i: value(i, v), x) for i, x in enumerate(inputs)]


# ---- input conditions: away from kinks and ties ---------------------------------------------------
def separated(e: np.ndarray, min_dist: float) -> bool:
    d = distances(e)
    return bool(len(e) < 2 or d[~np.eye(len(e), dtype=bool)].min() >= min_dist)


def _spread(values: np.ndarray) -> bool:
    """No two values closer than GAP (so a max or a min is unique with room to spare)."""
    return len(values) < 2 or float(np.diff(np.sort(values)).min()) >= GAP


def mining_safe(e: np.ndarray, labels: np.ndarray, margin: float) -> bool:
    if not separated(e, 10 * GAP):
        return False
    d = distances(e)
    for a, pos, neg in hard_anchors(labels):
        if not (_spread(d[a, pos]) and _spread(d[a, neg])):
            return False
        if abs(d[a, pos].max() - d[a, neg].min() + margin) < GAP:
            return False
    a, p, n = valid_triplets(labels)
    return bool(len(a) == 0 or np.abs(d[a, p] - d[a, n] + margin).min() >= GAP)


def draw_until(rng: np.random.Generator, make, ok, tries: int = 500):
    """Redraw ``make(rng)`` until ``ok`` holds: conditions on inputs without hypothesis' filtering."""
    for _ in range(tries):
        value = make(rng)
        if ok(value):
            return value
    raise RuntimeError("lab test inputs: no safe draw found (the lab's tests need fixing)")


# ---- strategies --------------------------------------------------------------------------------
@st.composite
def label_patterns(draw: st.DrawFn, min_n: int = 1, max_n: int = 9) -> np.ndarray:
    """Label vectors of the kinds mining must handle: random classes, classes of size one, a single
    class, all labels distinct; label values are arbitrary non-negative integers, not 0..C-1."""
    n = draw(dst.sizes(min_value=min_n, max_value=max_n))
    kind = draw(st.sampled_from(["random", "singletons", "single_class", "distinct"]))
    rng = np.random.default_rng(draw(dst.seeds()))
    if kind == "random":
        base = rng.integers(0, draw(dst.sizes(min_value=2, max_value=4)), n)
    elif kind == "singletons":
        base = rng.integers(0, 2, n)
        lonely = rng.choice(n, size=min(n, draw(dst.sizes(max_value=3))), replace=False)
        base[lonely] = 2 + np.arange(len(lonely))
    elif kind == "single_class":
        base = np.zeros(n, dtype=np.int64)
    else:
        base = rng.permutation(n)
    return (rng.permutation(20)[base] * 3 + 1).astype(np.int64)


@st.composite
def mining_inputs(draw: st.DrawFn, min_n: int = 1, max_n: int = 9) -> tuple[np.ndarray, np.ndarray, float]:
    labels = draw(label_patterns(min_n, max_n))
    dim = draw(dst.sizes(max_value=4))
    margin = draw(st.sampled_from([0.2, 0.5, 1.0, 2.0]))
    rng = np.random.default_rng(draw(dst.seeds()))
    e = draw_until(rng, lambda g: g.uniform(-1, 1, (len(labels), dim)), lambda e: mining_safe(e, labels, margin))
    return e, labels, margin


def balanced_labels(classes: int = 3, per_class: int = 3, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(np.repeat(np.arange(classes), per_class))


# ---- what comes back ------------------------------------------------------------------------------
def expect_loss(value: object, *, name: str = "loss", function: str | None = None) -> float:
    """A loss must be a 0-dim torch tensor with a finite value."""
    return expect_scalar(expect_tensor(value, (), name=name, function=function), name=name, function=function)


def expect_grad(grad: object, shape: tuple, *, name: str, function: str | None = None) -> np.ndarray:
    if grad is None:
        raise Mismatch(name, "is missing: the result does not depend on this input through autograd",
                       function=function)
    return expect_array(grad, shape, name=name, function=function)


# ---- calls that check the arguments are left alone ------------------------------------------------
ARGUMENTS = {
    "pairwise_distances": ("embeddings",),
    "contrastive_loss": ("emb1", "emb2", "is_same"),
    "triplet_loss": ("anchor", "positive", "negative"),
    "batch_hard_triplet_loss": ("embeddings", "labels"),
    "batch_all_triplet_loss": ("embeddings", "labels"),
    "sample_triplets": ("labels",),
    "recall_at_k": ("embeddings", "labels"),
}


def assert_arguments_kept(function: str, sent: tuple, after: list | tuple) -> None:
    """Every array or tensor among the positional arguments ``sent`` to ``function`` holds, after
    the call, what it held before (values, shape and dtype)."""
    before, now = {}, {}
    for name, value, echoed in zip(ARGUMENTS[function], sent, after):
        array = value.array if isinstance(value, Tensor) else value
        if isinstance(array, np.ndarray):
            before[name] = array
            now[name] = expect_array(echoed, None, name=f"argument {name}", kind="n", finite=False,
                                     function=function)
    assert_unmodified(before, now, function=function)


def call_kept(student: Student, function: str, *args: object, **kwargs: object) -> object:
    """``student.function(*args, **kwargs)``, failing (on ``function``) if it changed an argument."""
    result, after, _ = student.call_echo(function, *args, **kwargs)
    assert_arguments_kept(function, args, after)
    return result


def call_mining(student: Student, function: str, *args: object, grad: bool = False, pick: int | None = None,
                **kwargs: object) -> object:
    """A mining function or recall_at_k called with a correct ``pairwise_distances`` in place of the
    submission's (the ``call`` probe), so that only ``function`` is judged; fails if it changed an
    argument. With ``grad``: ``(result, grads)`` like ``student.grad``, otherwise the result."""
    report = student.probe("call", function, list(args), kwargs, grad=grad, pick=pick, function=function,
                           substitute=["pairwise_distances"])
    assert_arguments_kept(function, args, report["args_after"])
    if report["problem"]:
        raise Mismatch(f"{function} result", report["problem"], function=function)
    return (report["result"], report["grads"]) if grad else report["result"]


# What sample_triplets returns, by part.
TRIPLET_INDICES = ("anchor_idx", "positive_idx", "negative_idx")


def f64(x: np.ndarray, grad: bool = True) -> Tensor:
    return Tensor(np.asarray(x, dtype=np.float64), requires_grad=grad, dtype="float64")


def f32(x: np.ndarray, grad: bool = False) -> Tensor:
    return Tensor(np.asarray(x, dtype=np.float32), requires_grad=grad, dtype="float32")


def ints(x: np.ndarray) -> Tensor:
    return Tensor(np.asarray(x, dtype=np.int64), dtype="int64")


def as32(x: np.ndarray) -> np.ndarray:
    """The float32 values a float32 tensor of ``x`` holds, back in float64 for the formulas."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits scaled to [0, 1]: 1200 training and 597 held-out images."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    test, train = order[:597], order[597:]
    X = (X / 16.0).astype(np.float32)
    return X[train], y[train].astype(np.int64), X[test], y[test].astype(np.int64)


# ---- the grader's embedding net: its layers chosen here, trained in the worker, run here ------------
HIDDEN_LAYERS = (128, 64)  # the reference's; any student architecture trains this net as well

# What train_triplet may call besides the model: correct versions replace these while it trains.
TRAINING_RELIES_ON = ["pairwise_distances", "contrastive_loss", "triplet_loss", "batch_hard_triplet_loss",
                      "batch_all_triplet_loss", "sample_triplets", "recall_at_k", "SiameseNet"]


def grader_layers(input_dim: int, embedding_dim: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The initial (W (in, out), b (out,)) float32 layers of the grader's ReLU MLP, drawn as torch's
    nn.Linear draws its own: uniform within 1 / sqrt(fan_in)."""
    rng = np.random.default_rng(seed)
    sizes = (input_dim, *HIDDEN_LAYERS, embedding_dim)
    return [tuple(rng.uniform(-1, 1, shape).astype(np.float32) / np.float32(np.sqrt(fan_in))
                  for shape in ((fan_in, fan_out), (fan_out,)))
            for fan_in, fan_out in zip(sizes[:-1], sizes[1:])]


def grader_embeddings(layers: Sequence[tuple[np.ndarray, np.ndarray]], X: np.ndarray) -> np.ndarray:
    """The grader's net with ``layers`` applied to ``X``, in float64."""
    h = np.asarray(X, dtype=np.float64)
    for i, (w, b) in enumerate(layers):
        h = h @ w.astype(np.float64) + b.astype(np.float64)
        if i < len(layers) - 1:
            h = np.maximum(h, 0.0)
    return h


def trained_layers(report: object, layers: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray,
                   y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The grader's net after train_triplet (the ``train`` probe, started from ``layers``): its
    parameters, one finite float32 array of each initial shape, once train_triplet has left X and
    y as they were."""
    if not isinstance(report, dict) or "parameters" not in report:
        raise Mismatch("training probe", "returned nothing usable", function="train_triplet")
    assert_unmodified({"X": X.astype(np.float32), "y": y.astype(np.int64)},
                      {"X": report["X_after"], "y": report["y_after"]}, function="train_triplet")
    shapes = [a.shape for layer in layers for a in layer]
    got = report["parameters"]
    if not isinstance(got, list) or len(got) != len(shapes):
        raise Mismatch("model", f"came back with {len(got) if isinstance(got, list) else 'no list of'} parameters, "
                       f"not the {len(shapes)} of the network train_triplet was given: train that model in place, "
                       "without adding, removing or replacing its layers", function="train_triplet")
    arrays = [expect_array(expect_probed(value, name=f"model parameter {i}", function="train_triplet"), shape,
                           name=f"model parameter {i} (its initial shape is {shape})", function="train_triplet")
              for i, (value, shape) in enumerate(zip(got, shapes))]
    return list(zip(arrays[::2], arrays[1::2]))


def siamese_report(student: Student, x1: np.ndarray, x2: np.ndarray, embedding_dim: int) -> dict:
    """SiameseNet on the grader's embedding net (the ``siamese`` probe): its branches and the embedding
    net's own outputs, before and after the embedding net's weights change; fails if SiameseNet
    changed its inputs."""
    layers = grader_layers(x1.shape[1], embedding_dim, seed=0)
    report = student.probe("siamese", x1, x2, layers=layers, function="SiameseNet")
    if "unexpected_result" in report:
        raise Mismatch("SiameseNet output", f"expected a tuple (e1, e2), got {report['unexpected_result']}",
                       function="SiameseNet")
    for stage in ("before", "after"):
        assert_unmodified({"x1": x1.astype(np.float32), "x2": x2.astype(np.float32)},
                          {"x1": report[stage]["x1_after"], "x2": report[stage]["x2_after"]}, function="SiameseNet")
    return report


def lattice_points(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """n points at distinct, jittered integer lattice sites: pairwise at least 0.5 apart and no
    farther from the origin than needed, so float32 distances are accurate to ~1e-6 relative
    whatever formula computes them (an expanded ||a||^2 + ||b||^2 - 2ab included)."""
    half = 0
    while (2 * half + 1) ** dim < n:
        half += 1
    axes = np.arange(-half, half + 1)
    sites = np.stack(np.meshgrid(*([axes] * dim), indexing="ij"), -1).reshape(-1, dim)
    chosen = sites[rng.choice(len(sites), size=n, replace=False)].astype(np.float64)
    return chosen + rng.uniform(-0.25, 0.25, chosen.shape)


@st.composite
def point_sets(draw: st.DrawFn, max_n: int = 10, max_dim: int = 4) -> np.ndarray:
    n, dim = draw(dst.sizes(max_value=max_n)), draw(dst.sizes(max_value=max_dim))
    return lattice_points(np.random.default_rng(draw(dst.seeds())), n, dim)


def neighbours_safe(e: np.ndarray, k: int, gap: float = 0.02) -> bool:
    """The k-th and (k+1)-th nearest other points of every point are at least ``gap`` apart in
    distance (no tie decides which points are the k nearest; float32 rounding is far smaller)."""
    d = distances(e)
    np.fill_diagonal(d, np.inf)
    ordered = np.sort(d, axis=1)
    return bool(k >= len(e) - 1 or np.min(ordered[:, k] - ordered[:, k - 1]) >= gap)


@st.composite
def recall_inputs(draw: st.DrawFn, max_k: int = 1) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(dst.sizes(min_value=max_k + 1, max_value=16))
    k = draw(dst.sizes(max_value=min(max_k, n - 1)))
    dim = draw(dst.sizes(max_value=3))
    labels = draw(dst.labels(size=n, classes=draw(dst.sizes(min_value=2, max_value=4)))).astype(np.int64)
    rng = np.random.default_rng(draw(dst.seeds()))
    e = draw_until(rng, lambda g: as32(g.uniform(-3, 3, (n, dim))), lambda e: neighbours_safe(e, k))
    return e, labels, k
