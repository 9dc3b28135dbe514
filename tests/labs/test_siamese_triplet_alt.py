"""An independent siamese_triplet solution (Gram-matrix distances, loop mining, random-triplet
training, another network) must get full marks."""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("siamese_triplet_alt_solution.py")


def test_other_style_solution_gets_full_marks():
    lab = find_lab("siamese_triplet")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
