"""Checks on what a submission returned, failing with messages that point at the worst element.

A ``Mismatch`` keeps its parts apart, so that feedback on a hidden test can say which quantity was
wrong and by how much without showing the expected values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.worker.wire import Tensor, TensorValue

_KIND_NAMES = {"f": "float", "i": "integer", "b": "bool", "n": "numeric"}


class Mismatch(AssertionError):
    """A returned value is wrong. ``detail`` may show values; ``summary`` never does."""

    def __init__(self, name: str, problem: str, detail: str = "", function: str | None = None) -> None:
        self.name, self.problem, self.detail, self.function = name, problem, detail, function
        super().__init__(self.full())

    def summary(self) -> str:
        return f"{self.name}: {self.problem}"

    def full(self) -> str:
        return self.summary() + (f"\n{self.detail}" if self.detail else "")


def describe(value: Any) -> str:
    """What came back, in words for a failure message (never its values)."""
    if isinstance(value, np.ndarray):
        return f"{type(value).__name__} of dtype {value.dtype} and shape {value.shape}"
    if isinstance(value, TensorValue):
        return f"torch tensor of dtype {value.dtype} and shape {tuple(value.shape)}"
    if hasattr(value, "type_name"):
        return f"a {value.type_name} object"
    return f"a {type(value).__name__}"


def expect_array(value: Any, shape: tuple | None = None, *, name: str, kind: str = "f",
                 finite: bool = True, function: str | None = None) -> np.ndarray:
    """``value`` as an ndarray, when it is exactly one, of numeric ``kind``, ``shape`` and finite."""
    if isinstance(value, TensorValue):
        value = value.array
    if type(value) is not np.ndarray:
        raise Mismatch(name, f"expected a numpy array, got {describe(value)}", function=function)
    want = "biuf" if kind == "n" else ("iu" if kind == "i" else kind)
    if value.dtype.kind not in want:
        raise Mismatch(name, f"expected a {_KIND_NAMES.get(kind, kind)} array, got dtype {value.dtype}",
                       function=function)
    if shape is not None:
        ok = len(shape) == value.ndim and all(s is None or s == v for s, v in zip(shape, value.shape))
        if not ok:
            shown = tuple("*" if s is None else s for s in shape)
            raise Mismatch(name, f"expected shape {shown}, got {value.shape}", function=function)
    if finite and value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
        bad = np.argwhere(~np.isfinite(value))
        where = tuple(int(i) for i in bad[0]) if bad.size else ()
        raise Mismatch(name, f"contains {np.count_nonzero(~np.isfinite(value))} non-finite value(s)",
                       f"first at index {where}: {value[where] if where else value}", function=function)
    return value


def expect_scalar(value: Any, *, name: str, function: str | None = None) -> float:
    """A finite real number returned as a Python or numpy scalar or a 0-dim array (or tensor)."""
    if isinstance(value, TensorValue):
        value = value.array
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating | np.ndarray):
        raise Mismatch(name, f"expected a number, got {describe(value)}", function=function)
    if isinstance(value, np.ndarray):
        if value.size != 1 or value.ndim > 1 or value.dtype.kind not in "iuf":
            raise Mismatch(name, f"expected a scalar, got {describe(value)}", function=function)
        value = value.reshape(())[()]
    out = float(value)
    if not np.isfinite(out):
        raise Mismatch(name, f"is {out}, expected a finite number", function=function)
    return out


def _float_leaves(value: Any) -> list[np.ndarray]:
    if isinstance(value, Tensor | TensorValue):
        value = value.array
    if isinstance(value, tuple | list):
        return [leaf for v in value for leaf in _float_leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _float_leaves(v)]
    if isinstance(value, float | np.floating | np.complexfloating) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "fc"):
        return [np.asarray(value)]
    return []


def all_finite(value: Any) -> bool:
    """Every float in ``value`` (arrays, tensors and numbers, nested in tuples, lists and dicts) is finite."""
    return all(bool(np.all(np.isfinite(leaf))) for leaf in _float_leaves(value))


def expect_finite(value: Any, *, name: str, function: str | None = None) -> None:
    """Fails when any float in ``value``, however nested, is inf or nan."""
    bad = sum(int(np.count_nonzero(~np.isfinite(leaf))) for leaf in _float_leaves(value))
    if bad:
        raise Mismatch(name, f"contains {bad} non-finite value(s) (inf or nan) although every input was finite",
                       function=function)


def relative_error(got: np.ndarray, expected: np.ndarray, floor: float) -> np.ndarray:
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return np.abs(got - expected) / np.maximum(np.abs(got) + np.abs(expected), floor)


def default_floor(expected: np.ndarray) -> float:
    """Absolute floor for the relative error: a thousandth of the quantity's own scale."""
    scale = float(np.max(np.abs(expected))) if np.size(expected) else 0.0
    return max(1e-3 * scale, 1e-8)


def assert_close(got: Any, expected: Any, *, name: str, rtol: float = 1e-6, floor: float | None = None,
                 function: str | None = None) -> None:
    """Element-wise ``|got - expected| / max(|got| + |expected|, floor) <= rtol``."""
    expected = np.asarray(expected, dtype=np.float64)
    if isinstance(got, int | float | np.number) and not isinstance(got, bool):
        got = np.asarray(got, dtype=np.float64)
    got = expect_array(got, expected.shape, name=name, kind="n", function=function)
    floor = default_floor(expected) if floor is None else floor
    err = relative_error(got, expected, floor)
    if err.size == 0 or float(err.max()) <= rtol:
        return
    worst = np.unravel_index(int(np.argmax(err)), err.shape)
    where = tuple(int(i) for i in worst)
    n_bad = int(np.count_nonzero(err > rtol))
    raise Mismatch(
        name,
        f"wrong in {n_bad} of {err.size} entries (max relative error {float(err.max()):.3g}, tolerance {rtol:g})",
        f"worst at index {where}: expected {float(expected[worst])!r}, got {float(got[worst])!r}",
        function=function,
    )


def assert_unmodified(before: dict[str, Any], after: dict[str, Any], *, function: str | None = None) -> None:
    """Every argument in ``before`` is, after the call, equal in values, shape and dtype."""
    for key, original in before.items():
        now = after[key]
        if isinstance(original, np.ndarray):
            if type(now) is not np.ndarray or now.shape != original.shape or now.dtype != original.dtype:
                raise Mismatch(f"argument {key}", "was replaced or changed shape or dtype in place",
                               function=function)
            changed = ~((now == original) | (np.isnan(now) & np.isnan(original)))
            if np.any(changed):
                idx = tuple(int(i) for i in np.argwhere(changed)[0])
                raise Mismatch(f"argument {key}", f"was modified in place ({int(changed.sum())} entries)",
                               f"first at index {idx}: was {original[idx]!r}, now {now[idx]!r}",
                               function=function)
        elif isinstance(original, dict):
            assert_unmodified({f"{key}[{k!r}]": v for k, v in original.items()},
                              {f"{key}[{k!r}]": now.get(k) for k in original}, function=function)
