"""An independent rnn solution (per-example loops, dict caches, derivatives from the
pre-activations, a plain sigmoid) must get full marks through the engine."""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("rnn_alt_solution.py")


def test_loop_style_solution_gets_full_marks():
    lab = find_lab("rnn")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
