"""Helpers shared by the backprop lab's public and hidden tests (harness side)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

from autograder.toolkit import Mismatch, RemoteObject, Student, expect_array, expect_tuple, graded
from autograder.toolkit import strategies as dst
from autograder.toolkit.readonly import call_read_only

# The parts of what the layers and losses return, named in failures.
OUT_CACHE = ("out", "cache")
LOSS_DX = ("loss", "dx")
DX_DW_DB = ("dx", "dw", "db")


# Each layer's forward arguments, and each loss's, by name.
LAYERS = {"affine": ("x", "w", "b"), "relu": ("x",), "sigmoid": ("x",)}
LOSSES = {"softmax_loss": ("x", "y"), "svm_loss": ("x", "y"), "mse_loss": ("pred", "target")}


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


def layered_scores(student: Student, params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The net's scores rebuilt from the submission's own affine_forward and relu_forward (judged by
    their own tests), so that this judges how FullyConnectedNet chains them."""
    layers = len(params) // 2
    h = X
    for i in range(1, layers + 1):
        h, _ = expect_tuple(student.affine_forward(h, params[f"W{i}"], params[f"b{i}"]), OUT_CACHE,
                            name="affine_forward result", function="affine_forward")
        if i < layers:
            h, _ = expect_tuple(student.relu_forward(h), OUT_CACHE, name="relu_forward result",
                                function="relu_forward")
    return expect_array(h, (X.shape[0], params[f"W{layers}"].shape[1]), name="scores of the layers",
                        function="affine_forward")


def grads_dict(value: object, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not isinstance(value, dict) or set(value) != set(params):
        keys = sorted(value) if isinstance(value, dict) else type(value).__name__
        raise Mismatch("grads", f"expected a dict with keys {sorted(params)}, got {keys}")
    return {k: expect_array(value[k], params[k].shape, name=f"grads[{k!r}]") for k in params}


def read_only_case(name: str, step: str | None = None):
    """A case of an "arguments unmodified" test, credited to the function it calls: one point."""
    function = name if step is None else f"{name}_{step}"
    hint = ("Never assign into dout or into the arrays of the cache: they are the caller's."
            if step == "backward" else "Never assign into an argument (x[x < 0] = 0 does): build new arrays.")
    return pytest.param(*((name,) if step is None else (name, step)), id=function,
                        marks=graded(points=1, function=function, hint=hint))


def layer_inputs(layer: str, g: np.random.Generator, shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Inputs of a layer's forward pass, x of ``shape`` with zeros and both signs."""
    x = g.standard_normal(shape)
    x.flat[::3] = 0.0
    if layer != "affine":
        return (x,)
    d, m = int(np.prod(shape[1:])), 3
    return x, g.standard_normal((d, m)), g.standard_normal(m)


def check_layer_read_only(student: Student, layer: str, step: str, g: np.random.Generator,
                          shape: tuple[int, ...]) -> None:
    """The forward pass leaves its inputs alone, or the backward pass its upstream gradient and the
    cache the forward pass handed back (which may hold the caller's own x)."""
    inputs = layer_inputs(layer, g, shape)
    forward = getattr(student, f"{layer}_forward")
    if step == "forward":
        call_read_only(forward, *inputs, names=LAYERS[layer])
        return
    _, cache = expect_tuple(forward(*inputs), OUT_CACHE, name=f"{layer}_forward result",
                            function=f"{layer}_forward")
    out_shape = (shape[0], inputs[1].shape[1]) if layer == "affine" else shape
    call_read_only(getattr(student, f"{layer}_backward"), g.standard_normal(out_shape), cache,
                   names=("dout", "cache"))


def check_loss_read_only(student: Student, loss: str, g: np.random.Generator, shape: tuple[int, int]) -> None:
    x = g.standard_normal(shape)
    other = g.standard_normal(shape) if loss == "mse_loss" else g.integers(0, shape[1], shape[0])
    call_read_only(getattr(student, loss), x, other, names=LOSSES[loss])
