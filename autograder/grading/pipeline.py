"""The one way into grading: prepare -> scan -> run -> judge -> results.

Every entry point (``dlgrade check`` and ``grade``, a notebook's check cell, a batch grading
process, a Dask task, the Otter kernel, validation, the bench) calls ``grade`` with its
``GradingOptions``; what differs between them is only which tests run, on which runner, with how
much time. The hypothesis profile, the tests' seeds and the test selection are set here and
nowhere else, so every route grades a submission the same way.

Each step is a small function of the ``Grading`` in progress, in the spirit of nbgrader's
preprocessors: a step may end the grading early (a submission that cannot be read still gets a
report: the reason in its notes, every test failed and pointing there).
"""

from __future__ import annotations

import contextlib
import hmac
import io
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from autograder.failures import ImportFailure, Kind
from autograder.grading import calibrated, misconceptions
from autograder.grading.outcomes import GradeReport, TestOutcome
from autograder.grading.plugin import GradingPlugin, blank_outcome
from autograder.grading.results import check_schema, error_results, to_results
from autograder.grading.selection import FunctionSelection, TestSelection
from autograder.grading.static_scan import forbidden_imports
from autograder.grading.submission import SubmissionError, prepare_module
from autograder.labs import Lab
from autograder.sandbox.client import WorkerSpec
from autograder.sandbox.runner import SubmissionRunner
from autograder.sandbox.runner import start as start_runner

HYPOTHESIS_PROFILE = "dlgrade"
# Deterministic grading: derandomized, no example database, no deadlines (a loaded grading server
# must not turn a slow example into a failure).
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


@dataclass(frozen=True, kw_only=True)
class GradingOptions:
    hidden: bool = True
    """The hidden tests too (grading), or only the public ones (a student's check)."""
    functions: tuple[str, ...] = ()
    """Only the tests of these functions (a class stands for its methods); every test when empty."""
    sandbox: str = "auto"
    """Isolation of the worker: "auto", "strict" (refuse without strong isolation) or "none"."""
    budget: float | None = None
    """Seconds for the whole submission; the lab's ``total_timeout`` when None."""
    stop_early: bool = False
    """Stop at the first lost point: a quick yes or no (validation grades buggy variants in full, for their
    failure signatures; a stopped grading names no known mistake)."""
    protect: tuple[Path, ...] = ()
    """Paths the worker must not see besides the lab's private ones (results, other students' work)."""
    tests: tuple[str, ...] = ()
    """Only these tests (node ids, ``tests/hidden/test_x.py::test_y``); with ``functions``, those of both."""
    progress: Callable[[str, bool, float], None] | None = None
    """Told each test as it ends (its title, whether it passed, its seconds), for a check that takes a while.
    Told before judging: a passed test can still be judged a failure (a worker-side problem seen after it)."""
    calibration_seeds: tuple[int, ...] = ()
    """A calibration run (``dlgrade calibrate``): each ``expect_trained`` measures these seeds and records them in
    its outcome's ``trained`` instead of judging its own seeds."""


SEED_SECRET = ".seed_secret"
"""A file of the hidden tests of a released autograder (``release/build.py``): the tests' seeds come from it."""


def seed_of(lab: Lab) -> Callable[[str], int]:
    """Each test's random seed: the same test always gets the same seed, in every grading of one release.

    With the release's secret (in the hidden tests, which the worker never sees) the seeds are
    HMAC-SHA256(secret, node id): a submission cannot tell which test calls it by its seed. Without
    one (the repository, a student's bundle, where every test is public) a checksum of the node id.
    """
    try:
        secret = (lab.hidden_tests / SEED_SECRET).read_bytes()
    except FileNotFoundError:
        return lambda nodeid: zlib.crc32(nodeid.encode())
    return lambda nodeid: int.from_bytes(hmac.digest(secret, nodeid.encode(), "sha256")[:4], "big")


@dataclass
class Grading:
    """One grading in progress: what the steps read and write."""

    lab: Lab
    submission: Path | None
    options: GradingOptions
    workdir: Path
    report: GradeReport
    started: float = field(default_factory=time.monotonic)
    module: Path | None = None
    refused: ImportFailure | None = None
    runner: SubmissionRunner | None = None
    plugin: GradingPlugin | None = None
    finished: bool = False


Step = Callable[[Grading], None]
NOT_GRADED = "not graded: see the note about the submission"


def prepare(g: Grading) -> None:
    """The submission (a .py, folder, zip or notebook) as one module file; unreadable: every test fails."""
    if g.runner is not None:  # already loaded by the caller (Otter's kernel, the bench's baseline)
        return
    try:
        prepared = prepare_module(g.submission, g.lab, g.workdir)
    except SubmissionError as exc:  # said once, in the notes; each test points there
        g.report.tests = _all_failed(g.lab, g.options, NOT_GRADED, Kind.IMPORT)
        g.report.notes.append(str(exc))
        g.finished = True
        return
    g.module = prepared.path
    g.report.notes.extend(prepared.notes)


def scan(g: Grading) -> None:
    """Refuse forbidden imports from the source itself, before any of it runs."""
    if g.module is None:
        return
    refused = forbidden_imports(g.module.read_text(), g.lab.forbidden_imports)
    if refused:
        line, name = refused[0]
        g.refused = ImportFailure(None, {
            "kind": "forbidden", "type": "ImportError",
            "message": f"line {line} imports '{name}'; this lab allows numpy and the standard library only"})


def run(g: Grading) -> None:
    """The lab's tests against the submission's runner, under the budget."""
    lab, options = g.lab, g.options
    if g.runner is None:
        g.runner = start_runner(WorkerSpec(
            submission=g.module.resolve(), module=lab.module, forbidden=lab.forbidden_imports,
            probes=lab.probes, limits=lab.limits, sandbox=options.sandbox,
            protect=(*lab.private_paths, lab.directory, lab.root, *options.protect)))
    runner = g.runner
    g.report.extra["sandbox"] = runner.sandbox_report()
    if g.refused is not None:
        runner.import_error = g.refused
    runner.prestart()  # the worker starts while pytest collects the tests
    budget = options.budget if options.budget is not None else lab.limits.total_timeout
    g.plugin = GradingPlugin(lab, runner, started=g.started, budget=budget, seed_of=seed_of(lab),
                             calibration_seeds=options.calibration_seeds, calibrated=calibrated.ranges(lab),
                             progress=options.progress)
    try:
        _pytest(lab, options, g.workdir, [g.plugin], extra=["-x"] if options.stop_early else [])
    finally:
        runner.stop()
    if runner.sandbox_error is not None:  # the machine's fault, not the submission's: no grade
        raise runner.sandbox_error
    g.plugin.check_loaded()


def judge(g: Grading) -> None:
    """Each test's report as an outcome: points, the kind of failure, a message, the hint."""
    assert g.plugin is not None
    g.report.tests = g.plugin.judged()


def results(g: Grading) -> None:
    """What the report says besides the tests: how the submission loaded, how grading ended."""
    runner = g.runner
    if runner is not None:
        g.report.extra["worker_starts"] = runner.starts
        if runner.import_error is not None:
            g.report.notes.append(runner.import_error.summary())
    g.report.stopped_early = g.options.stop_early and any(not t.passed for t in g.report.tests)
    if _ran_every_test(g.options) and g.lab.signatures.exists():
        misconceptions.annotate(g.report, g.lab.signatures)


def _ran_every_test(options: GradingOptions) -> bool:
    """A signature is of a full grading: a partial one's failures would match the wrong mistake."""
    return options.hidden and not options.functions and not options.tests and not options.stop_early


STEPS: tuple[Step, ...] = (prepare, scan, run, judge, results)


def grade(lab: Lab, submission: Path | None, options: GradingOptions = GradingOptions(), *,
          runner: SubmissionRunner | None = None) -> GradeReport:
    """Grade ``submission`` (or the submission ``runner`` already holds) with ``options``.

    Problems with the submission end up in the report as failed tests; only problems with the lab
    itself (its tests do not load: ``LabTestError``) or with the machine (``SandboxUnavailable``)
    raise.
    """
    label = str(submission) if submission is not None else "<loaded by the caller>"
    with tempfile.TemporaryDirectory(prefix="dlgrade-") as tmp:
        g = Grading(lab=lab, submission=Path(submission) if submission is not None else None, options=options,
                    workdir=Path(tmp), report=GradeReport(lab=lab.name, submission=label), runner=runner)
        for step in STEPS:
            step(g)
            if g.finished:
                break
    g.report.execution_time = time.monotonic() - g.started
    return g.report


def grade_results(lab: Lab, submission: Path, options: GradingOptions = GradingOptions()
                  ) -> tuple[GradeReport | None, dict[str, Any]]:
    """``grade``, and its results.json data; a grading that breaks down becomes a clear zero, never nothing."""
    try:
        report = grade(lab, submission, options)
        data = to_results(report, lab.hidden_visibility)
        check_schema(data)
    except Exception as exc:  # the results file is always written, even when grading breaks
        return None, error_results(f"grading could not finish: {type(exc).__name__}: {exc}")
    return report, data


def collect(lab: Lab, options: GradingOptions = GradingOptions()) -> list[TestOutcome]:
    """The tests ``options`` select, with their points, not run."""

    class Collector:
        items: list[pytest.Item] = []

        def pytest_collection_finish(self, session: pytest.Session) -> None:
            self.items = list(session.items)

    collector = Collector()
    with tempfile.TemporaryDirectory(prefix="dlgrade-") as tmp:
        _pytest(lab, options, Path(tmp), [collector], extra=["--collect-only"])
    return [blank_outcome(lab, item) for item in collector.items]


def _all_failed(lab: Lab, options: GradingOptions, message: str, kind: Kind) -> list[TestOutcome]:
    tests = collect(lab, options)
    for t in tests:
        t.message, t.kind = message, kind
    return tests


# -- pytest ---------------------------------------------------------------------------------------
def test_dirs(lab: Lab, hidden: bool) -> list[Path]:
    dirs = [lab.public_tests] + ([lab.hidden_tests] if hidden else [])
    return [d for d in dirs if d.is_dir()]


def _pytest(lab: Lab, options: GradingOptions, workdir: Path, plugins: list[object], extra: list[str]) -> None:
    ini = workdir / "pytest.ini"
    ini.write_text("[pytest]\n")  # an empty config: the repository's own pytest settings must not apply
    dirs = test_dirs(lab, options.hidden)
    args = [*map(str, dirs), "-c", str(ini), "--rootdir", str(lab.directory), "--import-mode=importlib",
            "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--tb=no", "--no-header", "-W", "ignore", *extra]
    if options.functions:
        plugins = [*plugins, FunctionSelection(options.functions)]
    if options.tests:
        plugins = [*plugins, TestSelection(options.tests)]
    # ``@settings`` takes the profile in force when a test module is imported: load it first, every
    # time (an enclosing pytest session, such as the project's own tests, may have loaded another).
    settings.load_profile(HYPOTHESIS_PROFILE)
    saved_path = list(sys.path)
    # Helpers shared by a lab's tests (``_<lab>_util.py``, ``_<lab>_hidden.py``) import by name.
    sys.path[:0] = [str(d) for d in dirs]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = pytest.main(args, plugins=plugins)
        if code == pytest.ExitCode.INTERRUPTED:  # pytest ends its session on Ctrl-C or SIGTERM: so does grading
            raise KeyboardInterrupt
    finally:
        sys.path[:] = saved_path
        _forget_lab_modules(lab)


def _forget_lab_modules(lab: Lab) -> None:
    """Every lab's test modules are named ``tests.public.test_<topic>`` (pytest's importlib mode, the
    lab folder as root): a later grading of another lab in this process must import its own."""
    folder = str(lab.directory)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(folder):
            del sys.modules[name]
