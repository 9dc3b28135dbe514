"""An independent CS231n-style optimizers solution (velocity v = mu * v - lr * dw, w updated in
place, its own state keys and formulas) must get full marks."""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("optimizers_alt_solution.py")


def test_cs231n_style_solution_gets_full_marks():
    lab = find_lab("optimizers")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
