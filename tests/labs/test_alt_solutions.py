"""Fairness: an independent correct solution of every lab, written in another style than the
reference (each file's docstring says which), gets full marks through the engine."""

from pathlib import Path

import pytest

from autograder.grading.pipeline import grade
from autograder.labs import find_lab

HERE = Path(__file__).parent
LABS = sorted(p.name.removesuffix("_alt_solution.py") for p in HERE.glob("*_alt_solution.py"))
# Plain-Python-loop solutions: they must also leave half of every test's time limit to spare, so a
# grading machine twice as slow or as busy as this one still grades them fully.
LOOP_STYLE = {"conv_backprop"}


def test_every_lab_has_an_alternative_solution():
    assert set(LABS) == {p.parent.name for p in (HERE.parents[1] / "assignments").glob("*/lab.toml")}


@pytest.mark.parametrize("name", LABS)
def test_alternative_solution_gets_full_marks(name):
    lab = find_lab(name)
    report = grade(lab, HERE / f"{name}_alt_solution.py")
    lost = [(t.nodeid, t.kind, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
    if name in LOOP_STYLE:
        limit = lab.limits.test_timeout
        slow = [(t.nodeid, round(t.duration, 1)) for t in report.tests if t.duration > limit / 2]
        assert not slow, slow
