"""Helpers shared by the rnn lab's public and hidden tests (harness side).

Problems are built from a drawn seed (see ``autograder.toolkit.strategies``), with weights scaled by
1/sqrt(fan-in) so that pre-activations are of order 1: tanh and the gates are far from saturation,
where central differences are accurate and every gradient entry matters.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from autograder.toolkit import Student, check_gradients, expect_array, expect_tuple, graded
from autograder.toolkit import strategies as dst
from autograder.toolkit.readonly import call_read_only

Problem = dict[str, np.ndarray]

# Gate blocks of the spec's LSTM pre-activations, in order.
LSTM_GATES = ("i", "f", "o", "g")


# What each function returns, by part (failures name them).
RETURNS = {
    "rnn_step_forward": ("next_h", "cache"),
    "rnn_step_backward": ("dx", "dprev_h", "dWx", "dWh", "db"),
    "rnn_forward": ("h", "cache"),
    "rnn_backward": ("dx", "dh0", "dWx", "dWh", "db"),
    "lstm_step_forward": ("next_h", "next_c", "cache"),
    "lstm_step_backward": ("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db"),
    "lstm_forward": ("h", "cache"),
    "lstm_backward": ("dx", "dh0", "dWx", "dWh", "db"),
    "word_embedding_forward": ("out", "cache"),
    "temporal_affine_forward": ("out", "cache"),
    "temporal_affine_backward": ("dx", "dw", "db"),
    "temporal_softmax_loss": ("loss", "dx"),
}


def call_checked(student: Student, function: str, *args: Any, **kwargs: Any) -> tuple:
    """``student.<function>(*args, **kwargs)``, which must return the tuple ``RETURNS`` lists."""
    result = getattr(student, function)(*args, **kwargs)
    return expect_tuple(result, RETURNS[function], name=f"{function} result", function=function)


# -- problems ---------------------------------------------------------------------------------------


def make_problem(n: int, t: int, d: int, h: int, seed: int, *, gates: int = 1) -> Problem:
    """Inputs, parameters and upstream gradients for an RNN (gates=1) or an LSTM (gates=4).

    Holds both the sequence inputs (``x`` (N, T, D), ``h0``, ``dh`` (N, T, H)) and one step's
    (``xt`` (N, D), ``prev_h``, ``prev_c``, ``dnext_h``, ``dnext_c``).
    """
    g = np.random.default_rng(seed)
    return {
        "x": g.standard_normal((n, t, d)),
        "h0": g.standard_normal((n, h)),
        "Wx": g.standard_normal((d, gates * h)) / np.sqrt(d),
        "Wh": g.standard_normal((h, gates * h)) / np.sqrt(h),
        "b": 0.5 * g.standard_normal(gates * h),
        "dh": g.standard_normal((n, t, h)),
        "xt": g.standard_normal((n, d)),
        "prev_h": g.standard_normal((n, h)),
        "prev_c": g.standard_normal((n, h)),
        "dnext_h": g.standard_normal((n, h)),
        "dnext_c": g.standard_normal((n, h)),
    }


@st.composite
def problems(draw: st.DrawFn, *, gates: int = 1, max_n: int = 3, max_t: int = 4, max_d: int = 4,
             max_h: int = 4) -> Problem:
    """Random sizes (sequence length 1 included) and values."""
    n, t = draw(dst.sizes(max_value=max_n)), draw(dst.sizes(max_value=max_t))
    d, h = draw(dst.sizes(max_value=max_d)), draw(dst.sizes(max_value=max_h))
    return make_problem(n, t, d, h, draw(dst.seeds()), gates=gates)


def step_inputs(p: Problem, *, lstm: bool = False) -> dict[str, np.ndarray]:
    names = ("x", "prev_h", "prev_c", "Wx", "Wh", "b") if lstm else ("x", "prev_h", "Wx", "Wh", "b")
    return {k: (p["xt"] if k == "x" else p[k]) for k in names}


def sequence_inputs(p: Problem) -> dict[str, np.ndarray]:
    return {k: p[k] for k in ("x", "h0", "Wx", "Wh", "b")}


# -- calling the submission -------------------------------------------------------------------------


def sequence_gradients(student: Student, layer: str, p: Problem) -> tuple[Any, tuple[np.ndarray, ...]]:
    """The output of the submission's ``<layer>_forward`` (the forward tests' business) and
    ``(dx, dh0, dWx, dWh, db)`` from its ``<layer>_backward`` on that call's cache."""
    h, cache = call_checked(student, f"{layer}_forward", **sequence_inputs(p))
    return h, call_checked(student, f"{layer}_backward", p["dh"], cache)


def check_sequence_gradients(student: Student, layer: str, p: Problem, names: tuple[str, ...]) -> None:
    """The named gradients of ``<layer>_backward`` against central differences of the submission's
    own ``<layer>_forward`` (judged by its own tests; the hidden tests compare with torch)."""
    h, gradients = sequence_gradients(student, layer, p)
    grads = dict(zip(("x", "h0", "Wx", "Wh", "b"), gradients))
    check_gradients(getattr(student, f"{layer}_forward"), sequence_inputs(p), {k: grads[k] for k in names},
                    dout=p["dh"], pick=0, function=f"{layer}_backward", value=h)


def stepped_sequence(student: Student, layer: str, p: Problem) -> np.ndarray:
    """The hidden states of ``p``'s sequence by the submission's own ``<layer>_step_forward`` (judged
    by its own tests), one step at a time from h0 (and c0 = 0): what ``<layer>_forward`` returns."""
    x, h = p["x"], p["h0"]
    c, states = np.zeros_like(h), []
    for t in range(x.shape[1]):
        if layer == "lstm":
            h, c, _ = call_checked(student, "lstm_step_forward", x[:, t], h, c, p["Wx"], p["Wh"], p["b"])
            c = expect_array(c, p["h0"].shape, name="next_c", function="lstm_step_forward")
        else:
            h, _ = call_checked(student, "rnn_step_forward", x[:, t], h, p["Wx"], p["Wh"], p["b"])
        h = expect_array(h, p["h0"].shape, name="next_h", function=f"{layer}_step_forward")
        states.append(h)
    return np.stack(states, axis=1)


def lstm_step_gradients(student: Student, p: Problem, dnext_h: np.ndarray,
                        dnext_c: np.ndarray) -> tuple[tuple[Any, Any], dict[str, np.ndarray]]:
    """The outputs (next_h, next_c) of a fresh ``lstm_step_forward`` and the gradients of
    ``lstm_step_backward`` on its cache, by input name."""
    next_h, next_c, cache = call_checked(student, "lstm_step_forward", **step_inputs(p, lstm=True))
    grads = call_checked(student, "lstm_step_backward", dnext_h, dnext_c, cache)
    return (next_h, next_c), dict(zip(("x", "prev_h", "prev_c", "Wx", "Wh", "b"), grads))


# Every function that takes arrays it must leave alone (clip_grad_norm scales its arrays by design).
READ_ONLY = ("rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward", "word_embedding_forward",
             "word_embedding_backward", "temporal_affine_forward", "temporal_affine_backward", "temporal_softmax_loss",
             "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward")


def read_only_case(function: str) -> Any:
    """A case of an "arguments unmodified" test, credited to the function it calls: one point."""
    if function == "lstm_step_backward":
        hint = "dnext_c += ... modifies the caller's array: write dc = dnext_c + ... instead."
    elif function.endswith("backward"):
        hint = "The upstream gradient and the cache's arrays are the caller's: only read them."
    else:
        hint = "Never assign into an argument: build new arrays."
    return pytest.param(function, id=function, marks=graded(points=1, function=function, hint=hint))


def _read_only_inputs(function: str, seed: int, n: int, t: int, d: int, h: int) -> tuple[dict, dict]:
    """The forward inputs of ``function``'s layer, and the upstream gradients of its backward pass."""
    g = np.random.default_rng(seed)
    if function.startswith(("rnn", "lstm")):
        lstm, step = function.startswith("lstm"), "_step_" in function
        p = make_problem(n, t, d, h, seed, gates=4 if lstm else 1)
        inputs = step_inputs(p, lstm=lstm) if step else sequence_inputs(p)
        upstream = {k: p[k] for k in (("dnext_h", "dnext_c") if lstm else ("dnext_h",))} if step else {"dh": p["dh"]}
        return inputs, upstream
    if function.startswith("word_embedding"):
        return {"x": g.integers(0, h, (n, t)), "W": g.standard_normal((h, d))}, {"dout": g.standard_normal((n, t, d))}
    if function.startswith("temporal_affine"):
        inputs = {"x": g.standard_normal((n, t, d)), "w": g.standard_normal((d, h)), "b": g.standard_normal(h)}
        return inputs, {"dout": g.standard_normal((n, t, h))}
    return {"x": g.standard_normal((n, t, h)), "y": g.integers(0, h, (n, t)), "mask": g.random((n, t)) < 0.5}, {}


def check_read_only(student: Student, function: str, seed: int, n: int, t: int, d: int, h: int) -> None:
    """``function`` leaves its arguments alone; a backward pass its upstream gradients and the cache
    its forward pass handed back (which may hold the caller's own arrays) too."""
    inputs, upstream = _read_only_inputs(function, seed, n, t, d, h)
    if not function.endswith("backward"):
        call_read_only(getattr(student, function), *inputs.values(), names=tuple(inputs))
        return
    *_, cache = call_checked(student, function.replace("backward", "forward"), **inputs)
    call_read_only(getattr(student, function), *upstream.values(), cache, names=(*upstream, "cache"))


def expect_arrays(values: dict[str, Any], shapes: dict[str, tuple], name: str = "d{}") -> dict[str, np.ndarray]:
    """Each ``values[k]`` as an array of ``shapes[k]``, failing under the name ``name.format(k)``."""
    return {k: expect_array(values.get(k), shapes[k], name=name.format(k)) for k in shapes}


def clip_report(student: Student, grads: dict[str, np.ndarray], max_norm: float) -> dict[str, Any]:
    """What the caller of clip_grad_norm sees afterwards (the ``clip_grad_norm_in_place`` probe)."""
    report = student.probe("clip_grad_norm_in_place", grads, max_norm, function="clip_grad_norm")
    if not isinstance(report, dict):
        raise AssertionError("the clip_grad_norm probe did not report")
    return report


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """The norm of every entry of every array together."""
    return float(np.sqrt(sum(np.sum(v * v) for v in grads.values())))


def gradient_dicts(seed: int, count: int, norm: float | None = None) -> dict[str, np.ndarray]:
    """``count`` arrays of different shapes and sizes (norms differ by orders of magnitude)."""
    g = np.random.default_rng(seed)
    out = {}
    for k in range(count):
        shape = tuple(int(s) for s in g.integers(1, 5, size=int(g.integers(1, 4))))
        out[f"p{k}"] = g.standard_normal(shape) * 10.0 ** g.uniform(-2, 1)
    if norm is not None:
        total = np.sqrt(sum(float(np.sum(v * v)) for v in out.values()))
        out = {k: v * (norm / total) for k, v in out.items()}
    return out
