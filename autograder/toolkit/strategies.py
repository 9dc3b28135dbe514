"""Hypothesis strategies for lab tests.

Array values come from a numpy generator seeded by a drawn integer: hypothesis still shrinks the
shape and the seed (towards small shapes and seed 0), while values stay well spread, away from the
kinks and ties that a shrunk float would pile onto (0.0 everywhere).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st

Shape = tuple[int, ...]


def sizes(lo: int = 1, hi: int = 5) -> st.SearchStrategy[int]:
    return st.integers(min_value=lo, max_value=hi)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=2**32 - 1)


def shapes(min_dims: int = 1, max_dims: int = 3, min_side: int = 1, max_side: int = 5) -> st.SearchStrategy[Shape]:
    return st.lists(sizes(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def _as_strategy(shape: Shape | st.SearchStrategy[Shape]) -> st.SearchStrategy[Shape]:
    return shape if isinstance(shape, st.SearchStrategy) else st.just(tuple(shape))


def arrays(shape: Shape | st.SearchStrategy[Shape], *, scale: float = 1.0,
           sampler: Callable[[np.random.Generator, Shape], np.ndarray] | None = None,
           ) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays, uniform in [-scale, scale) unless ``sampler(rng, shape)`` says otherwise."""
    def build(rng: np.random.Generator, shape: Shape) -> np.ndarray:
        values = sampler(rng, shape) if sampler else rng.uniform(-1.0, 1.0, shape)
        return np.asarray(values, dtype=np.float64) * scale

    return _seeded(build, _as_strategy(shape))


def tie_free_arrays(shape: Shape | st.SearchStrategy[Shape], *, gap: float = 1e-2,
                    scale: float = 1.0) -> st.SearchStrategy[np.ndarray]:
    """All entries distinct, pairwise at least ``gap * scale`` apart (unique maxima, no ties)."""
    def build(rng: np.random.Generator, shape: Shape) -> np.ndarray:
        n = int(np.prod(shape))
        grid = (rng.permutation(n) - n / 2) * gap
        jitter = rng.uniform(0.0, 0.25 * gap, n)
        return ((grid + jitter) * scale).reshape(shape)

    return _seeded(build, _as_strategy(shape))


def labels(n: int | st.SearchStrategy[int], classes: int | st.SearchStrategy[int]) -> st.SearchStrategy[np.ndarray]:
    """Integer label vectors of length ``n`` with values in ``[0, classes)``."""
    n_s = n if isinstance(n, st.SearchStrategy) else st.just(n)
    c_s = classes if isinstance(classes, st.SearchStrategy) else st.just(classes)
    return _seeded(lambda rng, nc: rng.integers(0, nc[1], nc[0]), st.tuples(n_s, c_s))


def _seeded(build: Callable[[np.random.Generator, object], np.ndarray],
            parameters: st.SearchStrategy) -> st.SearchStrategy[np.ndarray]:
    # A composite (not builds or map): hypothesis then reports a failing example as the array itself.
    @st.composite
    def draw_one(draw: st.DrawFn) -> np.ndarray:
        chosen = draw(parameters)
        return build(np.random.default_rng(draw(seeds())), chosen)

    return draw_one()
