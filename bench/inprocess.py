"""The baseline a sandboxed grader is measured against: the same tests, the same worker operations,
run by plain pytest inside one process (what otter-grader and nbgrader do). Unsafe; benchmark only."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from autograder.failures import StudentError
from autograder.grading.engine import _run_pytest
from autograder.grading.outcomes import GradeReport
from autograder.grading.plugin import GradingPlugin
from autograder.labs import Lab
from autograder.worker.main import Worker, _reseed, describe


class InProcessClient:
    """WorkerClient's interface, answering requests with the worker's own handlers in this process."""

    def __init__(self, lab: Lab, submission: Path) -> None:
        self.worker = Worker()
        self.worker.op_load({"path": str(submission.resolve()), "module": lab.module, "forbidden": [],
                             "probes": str(lab.probes) if lab.probes else None})
        self.starts, self.import_error, self.deadline, self.poisoned = 1, None, None, None

    def request(self, req: dict, function: str | None) -> Any:
        if self.poisoned is not None:
            raise self.poisoned
        try:
            return getattr(self.worker, f"op_{req['op']}")(req)
        except Exception as exc:
            raise StudentError(function, describe(exc, self.worker.path)) from None

    def begin_test(self, seed: int, deadline: float) -> None:
        self.poisoned = None
        _reseed(seed)

    def poison(self, failure: Exception) -> None:
        self.poisoned = failure

    def take_output(self) -> str:
        return ""

    def stop(self) -> None:
        pass


def grade_in_process(lab: Lab, submission: Path, hidden: bool = True) -> GradeReport:
    started = time.monotonic()
    client = InProcessClient(lab, submission)
    plugin = GradingPlugin(lab, client, budget_end=started + lab.limits.total_timeout)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        _run_pytest(lab, plugin, Path(tmp), hidden, stop_early=False)
    return GradeReport(lab=lab.name, submission=str(submission), tests=plugin.outcomes,
                       execution_time=time.monotonic() - started)
