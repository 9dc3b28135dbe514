"""Central-difference gradient checks in float64, judged here from plain values the function returned.

Evaluations of a submission's function are batched into one round trip (``StudentFunction.map``);
plain Python callables are evaluated one by one. Either way the perturbed inputs go in an order
shuffled here, the unperturbed input is asked twice (in the batch and alone) and must give one
value, and the values must fit a function that is smooth at the scale of ``h``: a function that
behaves differently while being differentiated fails. For large inputs the check projects on a few
random unit directions instead of every coordinate, the idea of torch.autograd.gradcheck's fast mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.toolkit.compare import Mismatch, assert_close, default_floor, expect_array, expect_scalar
from autograder.toolkit.remote import StudentFunction


def _objective(result: Any, dout: np.ndarray | None, name: str, function: str | None) -> float:
    if dout is None:
        return expect_scalar(result, name=name, function=function)
    out = expect_array(result, dout.shape, name=name, kind="n", function=function)
    return float(np.sum(out.astype(np.float64) * dout))


def _evaluate(f: Callable | StudentFunction, points: list[dict[str, Any]], center: dict[str, Any],
              pick: int | None, dout: np.ndarray | None, function: str | None, seed: int,
              value: Any = None) -> tuple[np.ndarray, float]:
    """The objective at each of ``points`` and at ``center``, the unperturbed input.

    ``center`` is asked first alone, as an ordinary call, before anything near it; then the points go
    in an order shuffled here, with ``center`` among them. A function that answers differently while
    being differentiated gives two values for one input (or, answering the same at ``center``,
    values around it that do not fit: ``_check_continuity``)."""
    batch = [*points, center]
    order = np.random.default_rng([seed, len(batch)]).permutation(len(batch))
    shuffled = [batch[i] for i in order]
    if isinstance(f, StudentFunction):
        alone = f.map([((), center)], pick=pick)[0]
        results = f.map([((), p) for p in shuffled], pick=pick)
    else:
        alone = _picked(f(**center), pick)
        results = [_picked(f(**p), pick) for p in shuffled]
    values = np.empty(len(batch))
    values[order] = [_objective(r, dout, "output", function) for r in results]
    seen = [_objective(alone, dout, "output", function)]
    if value is not None:
        seen.append(_objective(value, dout, "output", function))
    for earlier in seen:
        if abs(values[-1] - earlier) > 1e-12 * max(abs(values[-1]), abs(earlier)):
            raise Mismatch("output", "your function returns different values for the same input",
                           f"{earlier!r} once, {values[-1]!r} another time", function)
    return values[:-1], float(values[-1])


def _picked(result: Any, pick: int | None) -> Any:
    return result if pick is None else result[pick]


def _check_continuity(values: np.ndarray, at_center: float, h: float, function: str | None) -> None:
    """``f(x + h v) + f(x - h v) - 2 f(x)`` is O(h**2) for a smooth ``f``: far larger, the values at
    ``x +- h v`` are not those of the function whose value at ``x`` the test saw, which is what a
    function that behaves differently while being differentiated looks like."""
    plus, minus = values[0::2], values[1::2]
    delta, second = np.abs(plus - minus), np.abs(plus + minus - 2 * at_center)
    rounding = 1e4 * np.finfo(np.float64).eps * max(float(np.max(np.abs(values), initial=0.0)), abs(at_center))
    bad = second > 0.5 * delta + 1e-2 * float(np.max(delta, initial=0.0)) + rounding
    if np.any(bad):
        raise Mismatch("output", f"values at x + h and x - h do not fit the value at x in {int(bad.sum())} of "
                       f"{bad.size} entries (h = {h:g}): the function is not smooth there or does not return the "
                       "same values in every call", function=function)


def _floor(numeric: np.ndarray, values: np.ndarray, h: float, rtol: float) -> float:
    """The quantity's own scale, but never below what rounding in f leaves in a central difference
    (about eps * |f| / h): a gradient whose entries are all tiny is compared at that noise level."""
    noise = 1e-16 * float(np.max(np.abs(values), initial=0.0)) / h
    return max(default_floor(numeric), 10 * noise / rtol)


def numerical_gradient(f: Callable[[np.ndarray], Any], x: np.ndarray, dout: np.ndarray | None = None,
                       h: float = 1e-6) -> np.ndarray:
    """Gradient of ``sum(f(x) * dout)`` (or of scalar ``f(x)``) by central differences.

    For the harness's own reference functions: a submission's function goes through
    ``check_gradients``, whose evaluations guard against one that behaves differently while being
    differentiated."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        fp, fm = (_objective(f(p), dout, "output", None) for p in (plus, minus))
        grad[idx] = (fp - fm) / (2 * h)
    return grad


def check_gradients(f: Callable | StudentFunction, inputs: dict[str, np.ndarray],
                    analytic: dict[str, Any], *, dout: np.ndarray | None = None,
                    extra: dict[str, Any] | None = None, pick: int | None = None,
                    function: str | None = None, rtol: float = 1e-5, floor: float | None = None,
                    h: float = 1e-6, directions: int | None = None, seed: int = 0, value: Any = None) -> None:
    """Compare each ``analytic[name]`` with the numerical gradient of ``f(**inputs, **extra)``.

    ``f`` returns an array (weighted by ``dout``) or a scalar (``dout=None``); ``pick`` selects one
    element of a tuple result, e.g. ``out`` of ``(out, cache)``. With ``directions=k`` each gradient
    is checked along ``k`` random unit directions. ``value``, what ``f`` gave at ``inputs`` in the
    test's own call (the loss returned with the analytic gradient, after ``pick``), must come back
    whenever ``inputs`` are asked again: without it, a function that is right only at its first call
    at ``inputs`` and consistently wrong around them afterwards goes unseen.
    """
    extra = extra or {}
    for name, grad in analytic.items():
        x = inputs[name]
        grad = expect_array(grad, x.shape, name=f"d{name}", kind="f", function=function)
        if directions is None:
            points = []
            for idx in np.ndindex(x.shape):
                for sign in (1.0, -1.0):
                    moved = x.copy()
                    moved[idx] += sign * h
                    points.append(inputs | {name: moved} | extra)
            values, at_center = _evaluate(f, points, inputs | extra, pick, dout, function, seed, value)
            _check_continuity(values, at_center, h, function)
            numeric = ((values[0::2] - values[1::2]) / (2 * h)).reshape(x.shape)
            assert_close(grad, numeric, name=f"d{name}", rtol=rtol, function=function,
                         floor=floor if floor is not None else _floor(numeric, values, h, rtol))
            continue
        rng = np.random.default_rng(seed)
        vs = rng.standard_normal((directions, *x.shape))
        vs /= np.linalg.norm(vs.reshape(directions, -1), axis=1).reshape(-1, *([1] * x.ndim))
        points = [inputs | {name: x + sign * h * v} | extra for v in vs for sign in (1.0, -1.0)]
        values, at_center = _evaluate(f, points, inputs | extra, pick, dout, function, seed, value)
        _check_continuity(values, at_center, h, function)
        numeric = (values[0::2] - values[1::2]) / (2 * h)
        projected = np.array([float(np.sum(grad * v)) for v in vs])
        scale = max(float(np.linalg.norm(grad)), float(np.max(np.abs(numeric))), 1e-8)
        try:
            assert_close(projected, numeric, name=f"d{name}", rtol=rtol,
                         floor=floor if floor is not None else 1e-3 * scale, function=function)
        except Mismatch as exc:
            raise Mismatch(exc.name, exc.problem.replace("entries", "random directions"),
                           exc.detail.replace("index", "direction"), function) from None
