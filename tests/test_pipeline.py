"""The grading pipeline's options on a tiny lab made for each test: limits, selection, budget."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from autograder.failures import Kind
from autograder.grading.pipeline import GradingOptions, collect, grade
from autograder.labs.spec import Lab

TESTS = '''
from autograder.toolkit import graded


@graded(points=1, function="spin", timeout=1.2)
def test_spin_has_its_own_limit(student):
    """spin returns"""
    assert student.spin() == 1


@graded(points=2, function="Counter.add")
def test_counter(student):
    """a counter counts"""
    c = student.Counter()
    c.add()
    assert c.get("n") == 1


@graded(points=3, function="double")
def test_double(student):
    """double doubles"""
    assert student.double(2) == 4
'''

SUBMISSION = '''
def spin():
    while True:
        pass


class Counter:
    def __init__(self):
        self.n = 0

    def add(self):
        self.n += 1


def double(x):
    return 2 * x
'''


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Lab, Path]:
    lab_dir = tmp_path / "assignments" / "tiny"
    (lab_dir / "tests" / "public").mkdir(parents=True)
    (lab_dir / "lab.toml").write_text(textwrap.dedent('''
        [lab]
        name = "tiny"
        title = "A tiny lab"
        student_file = "tiny.py"
        points = 6
        hidden_visibility = "after_published"

        [limits]
        test_timeout = 30
        import_timeout = 20
        '''))
    (lab_dir / "tests" / "public" / "test_tiny.py").write_text(TESTS)
    submission = tmp_path / "tiny.py"
    submission.write_text(SUBMISSION)
    return Lab.load(lab_dir, tmp_path), submission


def test_a_tests_own_time_limit_is_enforced_and_named(tiny):
    lab, submission = tiny
    started = time.monotonic()
    report = grade(lab, submission, GradingOptions(sandbox="none"))
    assert time.monotonic() - started < 20, "the test's 1.2 s limit, not the lab's 30 s, must apply"
    spin = next(t for t in report.tests if t.function == "spin")
    assert spin.kind is Kind.TIMEOUT and "within 1.2 s" in spin.message, spin.message
    assert report.score == 5  # the tests after the timeout still ran


def test_functions_select_their_tests_and_a_class_its_methods(tiny):
    lab, submission = tiny
    report = grade(lab, submission, GradingOptions(functions=("Counter", "double"), sandbox="none"))
    assert sorted(t.function for t in report.tests) == ["Counter.add", "double"]
    assert report.score == report.max_score == 5
    assert [t.function for t in collect(lab, GradingOptions(functions=("double",)))] == ["double"]


def test_stop_early_stops_at_the_first_lost_point(tiny):
    lab, submission = tiny
    report = grade(lab, submission, GradingOptions(stop_early=True, sandbox="none"))
    assert report.stopped_early and [t.function for t in report.tests] == ["spin"]


def test_an_exhausted_budget_fails_the_remaining_tests(tiny):
    lab, submission = tiny
    report = grade(lab, submission, GradingOptions(budget=0.5, sandbox="none"))
    later = [t for t in report.tests if t.function != "spin"]
    assert later and all(t.kind is Kind.TIMEOUT and "0.5 s time budget" in t.message for t in later), \
        [(t.function, t.kind, t.message) for t in later]
