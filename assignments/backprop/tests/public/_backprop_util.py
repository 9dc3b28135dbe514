"""Helpers shared by the backprop lab's public and hidden tests (harness side)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from autograder.toolkit import Mismatch, RemoteObject, Student, expect_array, expect_tuple
from autograder.toolkit import strategies as dst

# The parts of what the layers and losses return, named in failures.
OUT_CACHE = ("out", "cache")
LOSS_DX = ("loss", "dx")
DX_DW_DB = ("dx", "dw", "db")


def away_from_zero(values: np.ndarray, gap: float = 1e-3) -> np.ndarray:
    """Keep ReLU inputs off their kink so central differences see one side only."""
    return np.where(np.abs(values) < gap, np.sign(values + 1e-12) * gap * 2, values)


@st.composite
def affine_inputs(draw: st.DrawFn, max_dims: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(dst.sizes(max_value=4))
    rest = draw(dst.shapes(min_dims=1, max_dims=max_dims, max_side=4))
    m = draw(dst.sizes(max_value=5))
    d = int(np.prod(rest))
    x = draw(dst.float_arrays((n, *rest)))
    w = draw(dst.float_arrays((d, m)))
    b = draw(dst.float_arrays((m,)))
    return x, w, b


@st.composite
def scores_and_labels(draw: st.DrawFn, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    n = draw(dst.sizes(max_value=6))
    c = draw(dst.sizes(min_value=2, max_value=6))
    x = draw(dst.float_arrays((n, c), scale=scale))
    y = draw(dst.labels(size=n, classes=c))
    return x, y


def hinge_safe(x: np.ndarray, y: np.ndarray, gap: float = 1e-3) -> np.ndarray:
    """Move scores so that no margin x_ij - x_iy + 1 is within ``gap`` of 0 (the hinge's kink)."""
    x = x.copy()
    n = x.shape[0]
    margins = x - x[np.arange(n), y][:, None] + 1.0
    near = np.abs(margins) < gap
    near[np.arange(n), y] = False
    x[near] += 3 * gap
    return x


def net_params(dims: list[int], seed: int, scale: float = 0.5) -> dict[str, np.ndarray]:
    g = np.random.default_rng(seed)
    params = {}
    for i in range(len(dims) - 1):
        params[f"W{i + 1}"] = scale * g.standard_normal((dims[i], dims[i + 1]))
        params[f"b{i + 1}"] = 0.1 * g.standard_normal(dims[i + 1])
    return params


def make_net(student: Student, hidden: list[int], input_dim: int, classes: int, reg: float,
             params: dict[str, np.ndarray]) -> RemoteObject:
    net = student.FullyConnectedNet(hidden_dims=hidden, input_dim=input_dim, num_classes=classes, reg=reg)
    net.update("params", params)
    return net


def net_loss(net: RemoteObject, X: np.ndarray, y: np.ndarray):
    """``f(**{name: value})`` for check_gradients: the loss with one parameter replaced."""
    def f(**changed: np.ndarray) -> float:
        net.update("params", changed)
        loss, _grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss result")
        return loss

    return f


def reference_scores(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    layers = len(params) // 2
    h = X.reshape(X.shape[0], -1)
    for i in range(1, layers + 1):
        h = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < layers:
            h = np.maximum(h, 0)
    return h


def grads_dict(value: object, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not isinstance(value, dict) or set(value) != set(params):
        keys = sorted(value) if isinstance(value, dict) else type(value).__name__
        raise Mismatch("grads", f"expected a dict with keys {sorted(params)}, got {keys}")
    return {k: expect_array(value[k], params[k].shape, name=f"grads[{k!r}]") for k in params}
