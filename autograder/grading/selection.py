"""Which tests a grading runs: pytest plugin objects that keep the tests of some functions, or some tests.

``dlgrade check -k NAME`` and a notebook's check cell grade one function; ``dlgrade calibrate`` runs
the training tests alone, by node id; grading a whole submission selects nothing and runs every test.
"""

from __future__ import annotations

import pytest

from autograder.toolkit.marks import MARK


def matches(function: str | None, names: frozenset[str]) -> bool:
    """``FullyConnectedNet`` selects ``FullyConnectedNet.loss`` too: a class stands for its methods."""
    return function is not None and (function in names or function.split(".")[0] in names)


class _Selection:
    def keeps(self, item: pytest.Item) -> bool:
        raise NotImplementedError

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        keep, drop = [], []
        for item in items:
            (keep if self.keeps(item) else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep


class FunctionSelection(_Selection):
    """Deselects every test that is not about one of ``functions``."""

    def __init__(self, functions: tuple[str, ...]) -> None:
        self.functions = frozenset(functions)

    def keeps(self, item: pytest.Item) -> bool:
        mark = item.get_closest_marker(MARK)
        return matches(mark.kwargs.get("function") if mark else None, self.functions)


class TestSelection(_Selection):
    """Deselects every test whose node id is not one of ``nodeids``."""

    __test__ = False  # pytest must not collect it from a module that imports it

    def __init__(self, nodeids: tuple[str, ...]) -> None:
        self.nodeids = frozenset(nodeids)

    def keeps(self, item: pytest.Item) -> bool:
        return item.nodeid in self.nodeids
