"""Which tests a grading runs: a pytest plugin object that keeps the tests of some functions.

``dlgrade check -k NAME`` and a notebook's check cell grade one function; grading a whole
submission selects nothing and runs every test.
"""

from __future__ import annotations

import pytest

from autograder.toolkit.marks import MARK


def matches(function: str | None, names: frozenset[str]) -> bool:
    """``FullyConnectedNet`` selects ``FullyConnectedNet.loss`` too: a class stands for its methods."""
    return function is not None and (function in names or function.split(".")[0] in names)


class FunctionSelection:
    """Deselects every test that is not about one of ``functions``."""

    def __init__(self, functions: tuple[str, ...]) -> None:
        self.functions = frozenset(functions)

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        keep, drop = [], []
        for item in items:
            mark = item.get_closest_marker(MARK)
            function = mark.kwargs.get("function") if mark else None
            (keep if matches(function, self.functions) else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
