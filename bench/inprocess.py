"""The baseline a sandboxed grader is measured against: the same tests and worker operations, run by
plain pytest inside one process (what otter-grader and nbgrader do). Unsafe; benchmark only."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from autograder.grading.engine import run_tests
from autograder.grading.outcomes import GradeReport
from autograder.labs import Lab
from autograder.sandbox.inprocess import InProcessClient


def grade_in_process(lab: Lab, submission: Path, hidden: bool = True) -> GradeReport:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        plugin = run_tests(lab, InProcessClient.for_file(lab, submission), Path(tmp), hidden=hidden)
    plugin.check_loaded()
    return GradeReport(lab=lab.name, submission=str(submission), tests=plugin.outcomes,
                       execution_time=time.monotonic() - started)
