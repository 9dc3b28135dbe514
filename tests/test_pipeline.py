"""The grading pipeline's options on a tiny lab made for each test: limits, selection, budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from autograder.failures import ImportFailure, Kind
from autograder.grading.pipeline import GradingOptions, collect, grade
from autograder.labs.spec import Lab
from autograder.sandbox.client import WorkerClient, WorkerSpec
from tests.conftest import tiny_lab

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
    return tiny_lab(tmp_path, "tiny", points=6, limits={"test_timeout": 30, "import_timeout": 20}, tests=TESTS,
                    submission=SUBMISSION)


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


def test_a_prestarted_worker_outlives_the_thread_that_loaded_it(tiny):
    """prestart imports in a background thread; the worker dies with the thread that started it
    (PR_SET_PDEATHSIG), so it must be started from the harness's own."""
    lab, path = tiny
    client = WorkerClient(WorkerSpec(submission=path.resolve(), module=lab.module, limits=lab.limits))
    client.prestart()
    try:
        client._starting.join()
        time.sleep(0.2)  # a worker killed with the loading thread would be dead by now
        client.begin_test(seed=0, limit=30)
        assert client.request({"op": "has", "name": "double"}, None) is True
        assert client.starts == 1
    finally:
        client.stop()


def test_a_prestarted_import_error_is_met_by_the_first_request(tiny, tmp_path):
    lab, _ = tiny
    broken = tmp_path / "broken.py"
    broken.write_text("raise ValueError('at import')\n")
    client = WorkerClient(WorkerSpec(submission=broken.resolve(), module=lab.module, limits=lab.limits))
    client.prestart()
    try:
        client.begin_test(seed=0, limit=30)
        with pytest.raises(ImportFailure, match="at import"):
            client.request({"op": "has", "name": "double"}, None)
        assert client.starts == 1
    finally:
        client.stop()
