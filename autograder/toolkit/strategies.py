"""Hypothesis strategies for lab tests.

Array values come from a numpy generator seeded by a drawn integer: hypothesis still shrinks the
shape and the seed (towards small shapes and seed 0), while values stay well spread, away from the
kinks and ties that a shrunk float would pile onto (0.0 everywhere).

Options are keyword-only and checked when the strategy is built, as hypothesis checks its own:
bounds the wrong way round, negative sizes or a non-positive scale raise ``InvalidArgument``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

Shape = tuple[int, ...]
Sampler = Callable[[np.random.Generator, Shape], np.ndarray]


def _check_count(name: str, value: object, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidArgument(f"{name}={value!r} must be an integer")
    if value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be at least {minimum}")


def _check_range(low_name: str, low: int, high_name: str, high: int, minimum: int = 0) -> None:
    _check_count(low_name, low, minimum)
    _check_count(high_name, high, minimum)
    if low > high:
        raise InvalidArgument(f"{low_name}={low!r} is larger than {high_name}={high!r}")


def _check_positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise InvalidArgument(f"{name}={value!r} must be a finite number > 0")


def sizes(*, min_value: int = 1, max_value: int = 5) -> st.SearchStrategy[int]:
    """Integers in [min_value, max_value] (both >= 0): batch sizes, dimensions, counts."""
    _check_range("min_value", min_value, "max_value", max_value)
    return st.integers(min_value=min_value, max_value=max_value)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=2**32 - 1)


def shapes(*, min_dims: int = 1, max_dims: int = 3, min_side: int = 1,
           max_side: int = 5) -> st.SearchStrategy[Shape]:
    """Array shapes, as hypothesis.extra.numpy.array_shapes draws them."""
    _check_range("min_dims", min_dims, "max_dims", max_dims)
    _check_range("min_side", min_side, "max_side", max_side)
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def _shape_strategy(shape: Shape | st.SearchStrategy[Shape]) -> st.SearchStrategy[Shape]:
    if isinstance(shape, st.SearchStrategy):
        return shape
    shape = tuple(shape)
    for i, side in enumerate(shape):
        _check_count(f"shape[{i}]", side)
    return st.just(shape)


def tie_free(rng: np.random.Generator, shape: Shape, *, gap: float = 1e-2) -> np.ndarray:
    """Distinct values, pairwise at least ``gap`` apart, in random order: every maximum (of a
    pooling window, of a row) is unique with room to spare. A sampler for ``float_arrays``."""
    _check_positive("gap", gap)
    n = math.prod(shape)
    grid = (rng.permutation(n) - n / 2) * gap
    return (grid + rng.uniform(0.0, 0.25 * gap, n)).reshape(shape)


def float_arrays(shape: Shape | st.SearchStrategy[Shape], *, scale: float = 1.0,
                 sampler: Sampler | None = None) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` (a shape or a strategy of shapes), uniform in [-scale, scale)
    unless ``sampler(rng, shape)`` draws them (``tie_free``, ...); the sample is then scaled."""
    _check_positive("scale", scale)

    def build(rng: np.random.Generator, chosen: Shape) -> np.ndarray:
        values = sampler(rng, chosen) if sampler else rng.uniform(-1.0, 1.0, chosen)
        return np.asarray(values, dtype=np.float64) * scale

    return _seeded(build, _shape_strategy(shape))


def labels(*, size: int | st.SearchStrategy[int],
           classes: int | st.SearchStrategy[int]) -> st.SearchStrategy[np.ndarray]:
    """Integer label vectors of length ``size`` (>= 0) with values in ``[0, classes)`` (classes >= 1)."""
    if not isinstance(size, st.SearchStrategy):
        _check_count("size", size)
        size = st.just(size)
    if not isinstance(classes, st.SearchStrategy):
        _check_count("classes", classes, minimum=1)
        classes = st.just(classes)
    return _seeded(lambda rng, nc: rng.integers(0, nc[1], nc[0]), st.tuples(size, classes))


def _seeded(build: Callable[[np.random.Generator, object], np.ndarray],
            parameters: st.SearchStrategy) -> st.SearchStrategy[np.ndarray]:
    # A composite (not builds or map): hypothesis then reports a failing example as the array itself.
    @st.composite
    def draw_one(draw: st.DrawFn) -> np.ndarray:
        chosen = draw(parameters)
        return build(np.random.default_rng(draw(seeds())), chosen)

    return draw_one()
