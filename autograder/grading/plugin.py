"""The pytest plugin that grades: the ``student`` fixture, each test's limits, and its judgement.

pytest runs the lab's tests in the harness; this plugin gives them the submission only through
the ``student`` fixture (a proxy to the runner) and judges each test's report into a
``TestOutcome``: its kind of failure, a message a student can act on, the hint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.failures import BudgetExhausted, Kind
from autograder.grading.feedback import explain, kind_of
from autograder.grading.outcomes import TestOutcome
from autograder.labs import Lab
from autograder.sandbox.runner import SubmissionRunner
from autograder.toolkit.marks import MARK
from autograder.toolkit.remote import Student
from autograder.toolkit.training import TrainingContext, context


class LabTestError(Exception):
    """The lab's own tests are broken (an instructor's problem, not the student's)."""


class GradingPlugin:
    def __init__(self, lab: Lab, runner: SubmissionRunner, *, started: float, budget: float,
                 seed_of: Callable[[str], int], calibration_seeds: tuple[int, ...] = (),
                 calibrated: dict[str, str] | None = None,
                 progress: Callable[[str, bool, float], None] | None = None) -> None:
        self.lab, self.runner, self.seed_of, self.progress = lab, runner, seed_of, progress
        self.calibration_seeds, self.calibrated = calibration_seeds, calibrated or {}
        self._training: dict[str, TrainingContext] = {}
        self.budget, self.budget_end = budget, started + budget
        self.ran: list[_Ran] = []
        self.collect_errors: list[str] = []
        self._started: dict[str, float] = {}

    # -- configuration ----------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", f"{MARK}(points, function, hint, timeout): a graded test")

    @pytest.fixture(scope="session")
    def student(self) -> Student:
        source = self.lab.substitutes.read_text() if self.lab.substitutes else None
        return Student(self.runner, source)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            if item.get_closest_marker(MARK) is None:
                self.collect_errors.append(f"{item.nodeid}: has no @graded(points=...)")

    def check_loaded(self) -> None:
        """Raise when the lab's own tests did not load: an instructor's problem, never a score."""
        if self.collect_errors:
            raise LabTestError("the lab's tests did not load:\n" + "\n".join(self.collect_errors))

    # -- running ----------------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        now = time.monotonic()
        self._started[item.nodeid] = now
        self.runner.take_output()
        # A calibration run measures several seeds where the test measures one at a time: each gets the test's time.
        runs = max(1, len(self.calibration_seeds))
        self.runner.begin_test(seed=self.seed_of(item.nodeid), limit=time_limit(self.lab, item) * runs)
        if now >= self.budget_end:
            self.runner.poison(BudgetExhausted(self.budget))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        # What expect_trained needs to know about this test (a calibration run? calibrated ranges?), and
        # where it records its runs.
        ctx = TrainingContext(self.calibration_seeds, self.calibrated.get(item.nodeid, ""), time_limit(self.lab, item))
        self._training[item.nodeid] = ctx
        with context(ctx):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.when == "call" or (report.when == "setup" and not report.passed):
            # What the submission printed belongs to this test: taken now, judged after the run.
            seconds = time.monotonic() - self._started.get(item.nodeid, time.monotonic())
            self.ran.append(_Ran(item, report, call.excinfo.value if call.excinfo else None,
                                 self.runner.take_output(), seconds))
            if self.progress is not None:
                self.progress(_title(item), report.passed, seconds)
        return report

    # -- judging ----------------------------------------------------------------------------------
    def judged(self) -> list[TestOutcome]:
        return [self._judge(ran) for ran in self.ran]

    def _judge(self, ran: _Ran) -> TestOutcome:
        outcome = blank_outcome(self.lab, ran.item)
        outcome.passed = ran.report.passed
        outcome.output, outcome.duration = ran.output, ran.duration
        training = self._training.get(ran.item.nodeid)
        outcome.trained = training.trained if training is not None else None
        if ran.report.skipped:
            outcome.passed, outcome.kind = False, Kind.CHECK
            outcome.message = "skipped: " + str(ran.report.longrepr)
        elif ran.error is not None and not ran.report.passed:
            outcome.kind = kind_of(ran.error)
            outcome.message = explain(ran.error, public=outcome.visibility == "public", function=outcome.function)
            hint = _mark_kwargs(ran.item).get("hint")
            if hint and not outcome.kind.submission_unfinished:
                outcome.message += f"\nhint: {hint}"
        return outcome


@dataclass
class _Ran:
    """A test as pytest ran it, before judgement."""

    item: pytest.Item
    report: pytest.TestReport
    error: BaseException | None
    output: str
    duration: float


def _mark_kwargs(item: pytest.Item) -> dict:
    mark = item.get_closest_marker(MARK)
    return mark.kwargs if mark else {}


def time_limit(lab: Lab, item: pytest.Item) -> float:
    """The test's own ``@graded(timeout=...)``, else the lab's ``test_timeout``."""
    return float(_mark_kwargs(item).get("timeout") or lab.limits.test_timeout)


def blank_outcome(lab: Lab, item: pytest.Item) -> TestOutcome:
    """A test's identity, points and visibility, before it has run."""
    kwargs = _mark_kwargs(item)
    hidden = lab.hidden_tests.resolve() in Path(str(item.path)).resolve().parents
    return TestOutcome(nodeid=item.nodeid, title=_title(item), function=kwargs.get("function"),
                       max_score=float(kwargs.get("points", 0)), visibility="hidden" if hidden else "public",
                       passed=False)


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if doc and doc.strip():
        return doc.strip().splitlines()[0].rstrip(".")
    return item.name.removeprefix("test_").replace("_", " ")
