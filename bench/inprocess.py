"""The baseline a sandboxed grader is measured against: the same tests and worker operations, run by
plain pytest inside one process (what otter-grader and nbgrader do). Unsafe; benchmark only."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import Lab
from autograder.sandbox.inprocess import InProcessClient


def grade_in_process(lab: Lab, submission: Path, hidden: bool = True) -> GradeReport:
    runner = InProcessClient.for_file(submission, lab.module, lab.probes)
    return grade(lab, None, GradingOptions(hidden=hidden), runner=runner)
