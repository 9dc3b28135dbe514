"""An independent dqn solution (list-of-tuples buffer, torch.where targets, state_dict updates,
soft target updates, a per-episode loop, other hyperparameters) gets full marks through the engine."""

from pathlib import Path

from autograder.grading.engine import grade
from autograder.labs import find_lab

ALT = Path(__file__).with_name("dqn_alt_solution.py")


def test_alternative_solution_gets_full_marks():
    lab = find_lab("dqn")
    report = grade(lab, ALT)
    lost = [(t.nodeid, t.kind, t.message) for t in report.tests if not t.passed]
    assert not lost, lost
    assert report.score == report.max_score == 100
