"""Grading one submission: prepare it, start its worker, run the lab's tests, collect outcomes."""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from autograder.failures import ImportFailure
from autograder.grading.outcomes import GradeReport, TestOutcome
from autograder.grading.plugin import HYPOTHESIS_PROFILE, GradingPlugin, blank_outcome
from autograder.grading.static_scan import forbidden_imports
from autograder.grading.submission import SubmissionError, prepare
from autograder.labs import Lab
from autograder.sandbox.client import WorkerClient, WorkerSpec


def grade(lab: Lab, submission: Path, *, hidden: bool = True, stop_early: bool = False,
          sandbox: str = "auto", protect: tuple[Path, ...] = ()) -> GradeReport:
    """Run the lab's public (and hidden) tests on ``submission``.

    Problems with the submission end up in the report as failed tests; only problems with the lab
    itself (its tests do not load) raise ``LabTestError``. ``stop_early`` stops at the first lost
    point (validation of buggy variants needs no more). ``sandbox`` is the isolation mode
    ("auto", "strict" or "none"; strict raises ``SandboxUnavailable`` where it cannot be had);
    ``protect`` adds paths the worker must not see (the results folder) to the lab's own.
    """
    started = time.monotonic()
    report = GradeReport(lab=lab.name, submission=str(submission))
    with tempfile.TemporaryDirectory(prefix="dlgrade-") as tmp:
        workdir = Path(tmp)
        try:
            module_path = prepare(Path(submission), lab.student_file, workdir)
        except SubmissionError as exc:
            report.tests = _all_failed(lab, hidden, str(exc), "import")
            report.notes.append(str(exc))
            report.execution_time = time.monotonic() - started
            return report
        secret = (lab.hidden_tests, lab.mutants, lab.reference.parent, *protect)
        spec = WorkerSpec(submission=module_path.resolve(), module=lab.module,
                          forbidden=lab.forbidden_imports, probes=lab.probes, limits=lab.limits,
                          sandbox=sandbox, protect=tuple(Path(p) for p in secret))
        client = WorkerClient(spec)
        report.extra["sandbox"] = client.sandbox_report()
        refused = forbidden_imports(module_path.read_text(), lab.forbidden_imports)
        if refused:
            line, name = refused[0]
            client.import_error = ImportFailure(None, {
                "kind": "forbidden", "type": "ImportError",
                "message": f"line {line} imports '{name}'; this lab allows numpy and the standard library only"})
        try:
            plugin = run_tests(lab, client, workdir, hidden=hidden, stop_early=stop_early,
                               budget_end=started + lab.limits.total_timeout)
        finally:
            client.stop()
        if client.sandbox_error is not None:  # the machine's fault, not the submission's: no grade
            raise client.sandbox_error
        plugin.check_loaded()
        report.tests = plugin.outcomes
        report.stopped_early = stop_early and any(not t.passed for t in report.tests)
        report.extra["worker_starts"] = client.starts
        if client.import_error is not None:
            report.notes.append(client.import_error.summary())
    report.execution_time = time.monotonic() - started
    return report


def test_dirs(lab: Lab, hidden: bool) -> list[Path]:
    dirs = [lab.public_tests]
    if hidden and lab.hidden_tests.is_dir():
        dirs.append(lab.hidden_tests)
    return [d for d in dirs if d.is_dir()]


def _pytest_args(lab: Lab, workdir: Path, hidden: bool) -> list[str]:
    ini = workdir / "pytest.ini"
    ini.write_text("[pytest]\n")  # an empty config: the repository's own pytest settings must not apply
    return [*map(str, test_dirs(lab, hidden)), "-c", str(ini), "--rootdir", str(lab.directory),
            "--import-mode=importlib", "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=no",
            "--no-header", "-W", "ignore"]


def _pytest_main(lab: Lab, args: list[str], plugin: object, hidden: bool) -> None:
    saved_path = list(sys.path)
    # Helpers shared by public and hidden tests (``_<lab>_util.py``) import by name.
    sys.path[:0] = [str(d) for d in test_dirs(lab, hidden)]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            pytest.main(args, plugins=[plugin])
    finally:
        sys.path[:] = saved_path
        _forget_lab_modules(lab)


def _forget_lab_modules(lab: Lab) -> None:
    """Labs share test module names (tests/hidden/test_oracle.py): a later grading in this process
    must import its own, not find another lab's in sys.modules."""
    folder = str(lab.directory)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(folder):
            del sys.modules[name]


def run_tests(lab: Lab, client: Any, workdir: Path, *, hidden: bool = True, stop_early: bool = False,
              budget_end: float | None = None) -> GradingPlugin:
    """The lab's tests against ``client`` (a ``WorkerClient``, or anything answering like one)."""
    if budget_end is None:
        budget_end = time.monotonic() + lab.limits.total_timeout
    plugin = GradingPlugin(lab, client, budget_end=budget_end)
    args = _pytest_args(lab, workdir, hidden) + (["-x"] if stop_early else [])
    _pytest_main(lab, args, plugin, hidden)
    return plugin


class _Collector:
    def __init__(self) -> None:
        self.items: list[pytest.Item] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = list(session.items)


def collect(lab: Lab, hidden: bool = True) -> list[TestOutcome]:
    """The lab's tests with their points, not run (to fail them all at once)."""
    collector = _Collector()
    # Test modules are decorated when first imported: grading's hypothesis profile must already hold.
    settings.load_profile(HYPOTHESIS_PROFILE)
    with tempfile.TemporaryDirectory() as tmp:
        _pytest_main(lab, [*_pytest_args(lab, Path(tmp), hidden), "--collect-only"], collector, hidden)
    return [blank_outcome(lab, item) for item in collector.items]


def _all_failed(lab: Lab, hidden: bool, message: str, kind: str) -> list[TestOutcome]:
    tests = collect(lab, hidden)
    for t in tests:
        t.message, t.kind = message, kind
    return tests
