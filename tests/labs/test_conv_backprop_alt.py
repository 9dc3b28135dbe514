"""A plain-Python-loops conv_backprop solution (scalar loops, its own cache layout) gets full marks.

It is the slowest style a correct student plausibly writes, so it also proves that every test's
time limit fits loop code, with room to spare on a loaded grading machine.
"""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("conv_backprop_alt_solution.py")


def test_loop_solution_gets_full_marks_in_time():
    lab = find_lab("conv_backprop")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.kind, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
    # Half the limit: a machine twice as slow (or as busy) as this one still grades it fully.
    limit = lab.limits.test_timeout
    slow = [(t.nodeid, round(t.duration, 1)) for t in report.tests if t.duration > limit / 2]
    assert not slow, slow
