"""Shared fixtures for the framework's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import Lab, find_lab

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def backprop() -> Lab:
    return find_lab("backprop")


def grade_source(lab: Lab, source: str, tmp_path: Path, **kwargs) -> GradeReport:
    """Grade ``source`` as the lab's student file (``kwargs``: ``GradingOptions``)."""
    path = tmp_path / lab.student_file
    path.write_text(source)
    return grade(lab, path, GradingOptions(**kwargs))
