"""An independent gan solution in another style (see its docstring) must get full marks, the
end-to-end training run included."""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("gan_alt_solution.py")


def test_alternative_style_solution_gets_full_marks():
    lab = find_lab("gan")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
