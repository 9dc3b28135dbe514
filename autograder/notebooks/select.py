"""A pytest plugin that keeps only the tests of some functions (the notebook's check cells).

The engine builds its pytest run itself; this plugin joins it through ``PYTEST_ADDOPTS`` (see
``selected``) so that a check cell runs one function's tests rather than the whole public suite.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

from autograder.toolkit.marks import MARK

_functions: frozenset[str] | None = None
_OPTION = f"-p {__name__}"


def matches(function: str | None, names: frozenset[str]) -> bool:
    """``FullyConnectedNet`` selects ``FullyConnectedNet.loss`` too: a class stands for its methods."""
    return function is not None and (function in names or function.split(".")[0] in names)


@contextlib.contextmanager
def selected(functions: tuple[str, ...]) -> Iterator[None]:
    """Within this block, grading runs only the tests of ``functions`` (all tests when empty)."""
    global _functions
    if not functions:
        yield
        return
    saved_env, saved = os.environ.get("PYTEST_ADDOPTS"), _functions
    _functions = frozenset(functions)
    os.environ["PYTEST_ADDOPTS"] = f"{saved_env} {_OPTION}" if saved_env else _OPTION
    try:
        yield
    finally:
        _functions = saved
        if saved_env is None:
            os.environ.pop("PYTEST_ADDOPTS", None)
        else:
            os.environ["PYTEST_ADDOPTS"] = saved_env


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _functions is None:
        return
    keep, drop = [], []
    for item in items:
        mark = item.get_closest_marker(MARK)
        function = mark.kwargs.get("function") if mark else None
        (keep if matches(function, _functions) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
