"""Helpers shared by the conv_backprop tests: geometries, inputs, and checked calls.

Sizes are small on purpose: a correct submission written with plain Python loops over every scalar
must finish each test well within its time limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from autograder.toolkit import expect_array, expect_scalar, expect_tuple, graded
from autograder.toolkit import strategies as dst
from autograder.toolkit.readonly import call_read_only


@dataclass(frozen=True)
class ConvGeometry:
    n: int
    c: int
    f: int
    h: int
    w: int
    hh: int
    ww: int
    stride: int
    pad: int

    @property
    def out_h(self) -> int:
        return 1 + (self.h + 2 * self.pad - self.hh) // self.stride

    @property
    def out_w(self) -> int:
        return 1 + (self.w + 2 * self.pad - self.ww) // self.stride

    @property
    def conv_param(self) -> dict:
        return {"stride": self.stride, "pad": self.pad}

    @property
    def overlapping(self) -> bool:
        return self.stride < max(self.hh, self.ww)


@dataclass(frozen=True)
class PoolGeometry:
    n: int
    c: int
    h: int
    w: int
    ph: int
    pw: int
    stride: int

    @property
    def out_h(self) -> int:
        return 1 + (self.h - self.ph) // self.stride

    @property
    def out_w(self) -> int:
        return 1 + (self.w - self.pw) // self.stride

    @property
    def pool_param(self) -> dict:
        return {"pool_height": self.ph, "pool_width": self.pw, "stride": self.stride}


def _side(draw: Any, kernel: int, stride: int, pad: int, outputs: st.SearchStrategy[int],
          floored: bool | None) -> int:
    """An input side with the requested number of outputs and remainder: floored means
    (side + 2 * pad - kernel) % stride != 0, so the last rows of the padded input fit no window."""
    out = draw(outputs)
    if floored is None:
        rest = draw(st.integers(0, stride - 1))
    elif floored:
        rest = draw(st.integers(1, stride - 1)) if stride > 1 else 0
    else:
        rest = 0
    side = (out - 1) * stride + kernel + rest - 2 * pad
    while side < 1:  # a large pad: one more output row keeps at least one real input row
        side += stride
    return side


def _constrained(stride: int, height: int, width: int, floored: bool | None,
                 overlapping: bool | None) -> tuple[int, int]:
    """(stride, height) of a filter or pooling window changed as asked: ``floored`` sizes need a
    stride above 1, ``overlapping`` windows a side larger than the stride, disjoint ones no side."""
    if floored and stride == 1:
        stride = 2
    if overlapping is True and stride >= max(height, width):
        height = stride + 1
    if overlapping is False:
        stride = max(stride, height, width)
    return stride, height


@st.composite
def conv_geometries(draw: Any, *, strides: tuple[int, ...] = (1, 2, 3), pads: tuple[int, ...] = (0, 1, 2, 3),
                    kernels: tuple[int, ...] = (1, 2, 3, 4), square: bool = False,
                    floored: bool | None = None, overlapping: bool | None = None,
                    max_batch: int = 2, max_channels: int = 3, max_filters: int = 3,
                    max_outputs: int = 4) -> ConvGeometry:
    stride = draw(st.sampled_from(strides))
    pad = draw(st.sampled_from(pads))
    hh = draw(st.sampled_from(kernels))
    ww = hh if square else draw(st.sampled_from(kernels))
    stride, hh = _constrained(stride, hh, ww, floored, overlapping)
    outputs = st.integers(1, max_outputs)
    return ConvGeometry(
        n=draw(st.integers(1, max_batch)), c=draw(st.integers(1, max_channels)),
        f=draw(st.integers(1, max_filters)),
        h=_side(draw, hh, stride, pad, outputs, floored), w=_side(draw, ww, stride, pad, outputs, floored),
        hh=hh, ww=ww, stride=stride, pad=pad,
    )


def common_conv_geometries() -> st.SearchStrategy[ConvGeometry]:
    """The course notebooks' case: 3x3 filters, stride 1, pad 1 (same-size output)."""
    return conv_geometries(strides=(1,), pads=(1,), kernels=(3,), square=True, max_outputs=5)


@st.composite
def pool_geometries(draw: Any, *, windows: tuple[int, ...] = (1, 2, 3), strides: tuple[int, ...] = (1, 2, 3),
                    square: bool = False, overlapping: bool | None = None, floored: bool | None = None,
                    max_batch: int = 2, max_channels: int = 3, max_outputs: int = 4) -> PoolGeometry:
    stride = draw(st.sampled_from(strides))
    ph = draw(st.sampled_from(windows))
    pw = ph if square else draw(st.sampled_from(windows))
    stride, ph = _constrained(stride, ph, pw, floored, overlapping)
    outputs = st.integers(1, max_outputs)
    return PoolGeometry(
        n=draw(st.integers(1, max_batch)), c=draw(st.integers(1, max_channels)),
        h=_side(draw, ph, stride, 0, outputs, floored), w=_side(draw, pw, stride, 0, outputs, floored),
        ph=ph, pw=pw, stride=stride,
    )


def common_pool_geometries() -> st.SearchStrategy[PoolGeometry]:
    """The course notebooks' case: 2x2 windows, stride 2, even sizes."""
    return pool_geometries(windows=(2,), strides=(2,), square=True, floored=False)


def conv_inputs(g: ConvGeometry, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((g.n, g.c, g.h, g.w)),
        "w": rng.standard_normal((g.f, g.c, g.hh, g.ww)),
        "b": rng.standard_normal(g.f),
    }


def conv_forward(student: Any, g: ConvGeometry, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple:
    """Calls the submission's conv_forward_naive and checks the output's type and shape."""
    fn = "conv_forward_naive"
    out, cache = expect_tuple(student.conv_forward_naive(x, w, b, g.conv_param), ("out", "cache"),
                              name=f"{fn} result", function=fn)
    return expect_array(out, (g.n, g.f, g.out_h, g.out_w), name="out", function=fn), cache


def conv_cache(student: Any, g: ConvGeometry, data: dict[str, np.ndarray]) -> tuple[Any, Any]:
    """The output and cache of the submission's forward pass, for a backward test: only their form is
    checked, the forward's output being the forward tests' business (a gradient check asks for it again)."""
    fn = "conv_forward_naive"
    return expect_tuple(student.conv_forward_naive(data["x"], data["w"], data["b"], g.conv_param),
                        ("out", "cache"), name=f"{fn} result", function=fn)


def conv_backward(student: Any, g: ConvGeometry, dout: np.ndarray, cache: Any) -> tuple:
    """Calls conv_backward_naive and checks (dx, dw, db): a tuple of three arrays shaped like x, w, b."""
    fn = "conv_backward_naive"
    dx, dw, db = expect_tuple(student.conv_backward_naive(dout, cache), ("dx", "dw", "db"), name=f"{fn} result",
                              function=fn)
    return (expect_array(dx, (g.n, g.c, g.h, g.w), name="dx", function=fn),
            expect_array(dw, (g.f, g.c, g.hh, g.ww), name="dw", function=fn),
            expect_array(db, (g.f,), name="db", function=fn))


def conv_dout(g: ConvGeometry, seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).standard_normal((g.n, g.f, g.out_h, g.out_w))


def conv_gradients(student: Any, g: ConvGeometry, seed: int) -> tuple[dict[str, np.ndarray], np.ndarray, tuple, Any]:
    """The inputs (``conv_inputs(g, seed)``), an upstream gradient, the submission's (dx, dw, db) and
    the output of the forward pass whose cache went into the backward one."""
    data = conv_inputs(g, seed)
    dout = conv_dout(g, seed)
    out, cache = conv_cache(student, g, data)
    return data, dout, conv_backward(student, g, dout, cache), out


# The smallest distance between two pooling inputs: every window has one maximum, that far above the rest.
POOL_GAP = 1e-2


def pool_input(g: PoolGeometry, seed: int) -> np.ndarray:
    return dst.tie_free(np.random.default_rng(seed), (g.n, g.c, g.h, g.w), gap=POOL_GAP)


def pool_forward(student: Any, g: PoolGeometry, x: np.ndarray) -> tuple:
    fn = "max_pool_forward_naive"
    out, cache = expect_tuple(student.max_pool_forward_naive(x, g.pool_param), ("out", "cache"),
                              name=f"{fn} result", function=fn)
    return expect_array(out, (g.n, g.c, g.out_h, g.out_w), name="out", function=fn), cache


def pool_backward(student: Any, g: PoolGeometry, dout: np.ndarray, cache: Any) -> np.ndarray:
    dx = student.max_pool_backward_naive(dout, cache)
    return expect_array(dx, (g.n, g.c, g.h, g.w), name="dx", function="max_pool_backward_naive")


def pool_dout(g: PoolGeometry, seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).standard_normal((g.n, g.c, g.out_h, g.out_w))


def pool_cache(student: Any, g: PoolGeometry, x: np.ndarray) -> tuple[Any, Any]:
    """The output and cache of the submission's forward pass, for a backward test (only their form is
    checked)."""
    fn = "max_pool_forward_naive"
    return expect_tuple(student.max_pool_forward_naive(x, g.pool_param), ("out", "cache"),
                        name=f"{fn} result", function=fn)


def pool_gradient(student: Any, g: PoolGeometry, seed: int,
                  dout: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """The input (``pool_input(g, seed)``), the upstream gradient (``dout``, or standard normal), the
    submission's dx and the output of the forward pass whose cache went into the backward one."""
    x = pool_input(g, seed)
    dout = pool_dout(g, seed) if dout is None else dout
    out, cache = pool_cache(student, g, x)
    return x, dout, pool_backward(student, g, dout, cache), out


def slopes(g: PoolGeometry, seed: int, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """A pooling input that rises (+1) or falls (-1) along its rows and along its columns, by steps
    of at least POOL_GAP, and the output max pooling gives it: every window's maximum sits at the
    corner those directions point to, so the expected output is a strided slice of the input."""
    rng = np.random.default_rng(seed)
    down = rng.uniform(POOL_GAP, 1.0, (g.n, g.c, g.h, 1)).cumsum(axis=2)
    across = rng.uniform(POOL_GAP, 1.0, (g.n, g.c, 1, g.w)).cumsum(axis=3)
    x = rows * down + cols * across
    r0 = g.ph - 1 if rows > 0 else 0
    c0 = g.pw - 1 if cols > 0 else 0
    return x, x[:, :, r0 : r0 + g.stride * g.out_h : g.stride, c0 : c0 + g.stride * g.out_w : g.stride]


@dataclass(frozen=True)
class NetGeometry:
    n: int
    c: int
    h: int
    w: int
    filters: int
    filter_size: int
    hidden: int
    classes: int

    @property
    def pad(self) -> int:
        return (self.filter_size - 1) // 2

    @property
    def pooled(self) -> tuple[int, int]:
        fs, p = self.filter_size, self.pad
        return (self.h + 2 * p - fs + 1) // 2, (self.w + 2 * p - fs + 1) // 2

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        hp, wp = self.pooled
        return {
            "W1": (self.filters, self.c, self.filter_size, self.filter_size), "b1": (self.filters,),
            "W2": (self.filters * hp * wp, self.hidden), "b2": (self.hidden,),
            "W3": (self.hidden, self.classes), "b3": (self.classes,),
        }

    def kwargs(self, reg: float) -> dict[str, Any]:
        return {"input_dim": (self.c, self.h, self.w), "num_filters": self.filters,
                "filter_size": self.filter_size, "hidden_dim": self.hidden, "num_classes": self.classes,
                "weight_scale": 1e-2, "reg": reg, "seed": 0}


@st.composite
def net_geometries(draw: Any, *, filter_sizes: tuple[int, ...] = (1, 2, 3, 4, 5)) -> NetGeometry:
    fs = draw(st.sampled_from(filter_sizes))
    pad = (fs - 1) // 2
    # The conv output (side + 2 pad - fs + 1) must be at least 2 for the pool to have an output.
    lo = max(1, fs + 1 - 2 * pad)
    return NetGeometry(
        n=draw(st.integers(1, 3)), c=draw(st.integers(1, 2)), h=draw(st.integers(lo, lo + 5)),
        w=draw(st.integers(lo, lo + 5)), filters=draw(st.integers(1, 3)), filter_size=fs,
        hidden=draw(st.integers(2, 5)), classes=draw(st.integers(2, 4)),
    )


def net_params(g: NetGeometry, seed: int) -> dict[str, np.ndarray]:
    """float64 parameters large enough that every layer matters (ReLUs both on and off)."""
    rng = np.random.default_rng(seed)
    params = {}
    for key, shape in g.shapes.items():
        fan_in = int(np.prod(shape[1:])) if key == "W1" else shape[0]
        scale = 1.0 / np.sqrt(fan_in) if key.startswith("W") else 0.5
        params[key] = scale * rng.standard_normal(shape)
    return params


def make_net(student: Any, g: NetGeometry, params: dict[str, np.ndarray], reg: float) -> Any:
    """A submission's ThreeLayerConvNet with every parameter overwritten by ``params``."""
    net = student.ThreeLayerConvNet(**g.kwargs(reg))
    net.update("params", params)
    return net


def net_loss(net: Any, g: NetGeometry, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Calls net.loss(X, y) and checks the result: a finite loss and a gradient for every parameter."""
    fn = "ThreeLayerConvNet.loss"
    loss, grads = expect_tuple(net.loss(X, y), ("loss", "grads"), name="loss(X, y) result", function=fn)
    loss = expect_scalar(loss, name="loss", function=fn)
    if not isinstance(grads, dict):
        raise AssertionError(f"{fn}: grads must be a dict, got {type(grads).__name__}")
    missing = sorted(set(g.shapes) - set(grads))
    if missing:
        raise AssertionError(f"{fn}: grads lacks {', '.join(missing)}")
    return loss, {k: expect_array(grads[k], shape, name=f"grads[{k!r}]", function=fn)
                  for k, shape in g.shapes.items()}


def net_data(g: NetGeometry, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((g.n, g.c, g.h, g.w)), rng.integers(0, g.classes, g.n)


def check_conv_read_only(student: Any, g: ConvGeometry, seed: int, step: str) -> None:
    """conv_forward_naive leaves x, w, b and conv_param alone; conv_backward_naive dout and the
    cache the forward pass handed back (which may hold the caller's x, w and conv_param)."""
    data = conv_inputs(g, seed)
    if step == "forward":
        call_read_only(student.conv_forward_naive, data["x"], data["w"], data["b"], g.conv_param,
                       names=("x", "w", "b", "conv_param"))
        return
    call_read_only(student.conv_backward_naive, conv_dout(g, seed), conv_cache(student, g, data)[1],
                   names=("dout", "cache"))


def check_pool_read_only(student: Any, g: PoolGeometry, seed: int, step: str) -> None:
    """As ``check_conv_read_only``, for max pooling."""
    x = pool_input(g, seed)
    if step == "forward":
        call_read_only(student.max_pool_forward_naive, x, g.pool_param, names=("x", "pool_param"))
        return
    call_read_only(student.max_pool_backward_naive, pool_dout(g, seed), pool_cache(student, g, x)[1],
                   names=("dout", "cache"))


def _read_only_cases(forward: str, backward: str, forward_hint: str, backward_hint: str) -> list:
    """The two cases of an "arguments unmodified" test, each credited to the function it calls."""
    return [pytest.param("forward", id=forward, marks=graded(points=1, function=forward, hint=forward_hint)),
            pytest.param("backward", id=backward, marks=graded(points=1, function=backward, hint=backward_hint))]


CONV_READ_ONLY = _read_only_cases(
    "conv_forward_naive", "conv_backward_naive",
    "Pad into a new array (np.pad); never change x, w, b or conv_param.",
    "The cache holds the caller's arrays and conv_param: only read them.")
POOL_READ_ONLY = _read_only_cases(
    "max_pool_forward_naive", "max_pool_backward_naive",
    "Never change x or pool_param: build new arrays.",
    "The cache holds the caller's x and pool_param: only read them.")
