"""docs/labs.md's grading tables say which tests grade which function with how many points: they must
say what the tests say (a copy that drifts would mislead every instructor who reads it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.grading.pipeline import GradingOptions, collect
from autograder.labs import find_lab, list_labs

DOC = Path(__file__).resolve().parents[1] / "docs" / "labs.md"
_ENTRY = re.compile(r"`([^`]+)` (\d+(?:\.\d+)?)")


def documented(lab: str) -> dict[tuple[str | None, str, str], float]:
    """(function, visibility, test name) -> points, from the lab's section's grading table; a row whose
    function is not in backticks (such as "(all rules)") lists tests that name no function."""
    section = DOC.read_text().split(f"\n## {lab}\n", 1)[1].split("\n## ", 1)[0]
    table = section.split("| function | public | hidden | points |", 1)[1]
    rows: dict[tuple[str, str, str], float] = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        function, public, hidden = (cell.strip() for cell in line.strip("|").split("|")[:3])
        for visibility, cell in (("public", public), ("hidden", hidden)):
            for name, points in _ENTRY.findall(cell):
                rows[(function.strip("`") if function.startswith("`") else None, visibility, name)] = float(points)
    return rows


def graded(lab: str) -> dict[tuple[str | None, str, str], float]:
    tests = collect(find_lab(lab), GradingOptions(hidden=True))
    return {(t.function, t.visibility, t.nodeid.rsplit("::", 1)[1].removeprefix("test_")): t.max_score
            for t in tests}


@pytest.mark.parametrize("lab", list_labs())
def test_grading_table_matches_the_tests(lab):
    doc, tests = documented(lab), graded(lab)
    assert set(doc) - set(tests) == set(), "documented but not a test"
    assert set(tests) - set(doc) == set(), "a test the table does not list"
    assert {k: v for k, v in tests.items() if doc[k] != v} == {}, "points differ"
