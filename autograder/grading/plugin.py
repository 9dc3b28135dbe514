"""The pytest plugin that grades: the ``student`` fixture, per-test limits, and outcomes.

pytest runs the lab's tests in the harness; this plugin gives them the submission only through
the ``student`` fixture (a proxy to the worker) and turns each test's report into a ``TestOutcome``.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from autograder.failures import WorkerTimeout
from autograder.grading.feedback import explain, kind_of
from autograder.grading.outcomes import TestOutcome
from autograder.labs import Lab
from autograder.sandbox.client import WorkerClient
from autograder.toolkit.marks import MARK
from autograder.toolkit.remote import Student

HYPOTHESIS_PROFILE = "dlgrade"
settings.register_profile(
    HYPOTHESIS_PROFILE,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    max_examples=25,
    # "explain" reruns failing tests many times to annotate lines; students get the shrunk input instead.
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)


class LabTestError(Exception):
    """The lab's own tests are broken (an instructor's problem, not the student's)."""


class GradingPlugin:
    def __init__(self, lab: Lab, client: WorkerClient, budget_end: float) -> None:
        self.lab, self.client, self.budget_end = lab, client, budget_end
        self.outcomes: list[TestOutcome] = []
        self.collect_errors: list[str] = []
        self._started: dict[str, float] = {}

    # -- configuration ----------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", f"{MARK}(points, function, hint, timeout): a graded test")
        settings.load_profile(HYPOTHESIS_PROFILE)

    @pytest.fixture(scope="session")
    def student(self) -> Student:
        return Student(self.client)

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
        limit = _mark_kwargs(item).get("timeout") or self.lab.limits.test_timeout
        now = time.monotonic()
        self._started[item.nodeid] = now
        self.client.take_output()
        self.client.begin_test(seed=zlib.crc32(item.nodeid.encode()), deadline=now + limit)
        if now >= self.budget_end:
            self.client.poison(WorkerTimeout(None, self.lab.limits.total_timeout))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes.append(self._outcome(item, call, report))
        return report

    def _outcome(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> TestOutcome:
        outcome = blank_outcome(self.lab, item)
        outcome.passed = report.passed
        outcome.output = self.client.take_output()
        outcome.duration = time.monotonic() - self._started.get(item.nodeid, time.monotonic())
        if report.skipped:
            outcome.passed, outcome.kind, outcome.message = False, "check", "skipped: " + str(report.longrepr)
        elif call.excinfo is not None and not report.passed:
            exc = call.excinfo.value
            outcome.kind = kind_of(exc)
            outcome.message = explain(exc, public=outcome.visibility == "public", function=outcome.function)
            hint = _mark_kwargs(item).get("hint")
            if hint and outcome.kind not in ("not_implemented", "import"):
                outcome.message += f"\nhint: {hint}"
        return outcome


def _mark_kwargs(item: pytest.Item) -> dict:
    mark = item.get_closest_marker(MARK)
    return mark.kwargs if mark else {}


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
