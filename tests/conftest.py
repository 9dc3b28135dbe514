"""Shared fixtures for the framework's own tests."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from types import ModuleType

import pytest

from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, collect, grade
from autograder.labs import Lab, find_lab

REPO = Path(__file__).resolve().parents[1]


@functools.cache
def public_points(lab: str = "backprop") -> float:
    """What the lab's public tests are worth, as they say (a reference's check scores exactly this)."""
    return sum(t.max_score for t in collect(find_lab(lab), GradingOptions(hidden=False)))


@pytest.fixture(scope="session")
def backprop() -> Lab:
    return find_lab("backprop")


def grade_source(lab: Lab, source: str, tmp_path: Path, **kwargs) -> GradeReport:
    """Grade ``source`` as the lab's student file (``kwargs``: ``GradingOptions``)."""
    path = tmp_path / lab.student_file
    path.write_text(source)
    return grade(lab, path, GradingOptions(**kwargs))


def require(module: str, extra: str) -> ModuleType:
    """``module``, from the dlgrade extra that `make setup` installs: a test that lacks it fails, never skips."""
    try:
        return importlib.import_module(module)
    except ImportError:
        pass  # failing outside the handler keeps the report to the one line that says what to do
    pytest.fail(f"{module} is missing: run `make setup` (it installs dlgrade's `{extra}` extra)", pytrace=False)


def tiny_lab(root: Path, name: str, *, points: float, limits: dict[str, float], tests: str,
             submission: str) -> tuple[Lab, Path]:
    """A one-file lab made for a test under ``root``: its public tests and a submission to grade."""
    lab_dir = root / "assignments" / name
    (lab_dir / "tests" / "public").mkdir(parents=True)
    limit_lines = "".join(f"{key} = {value}\n" for key, value in limits.items())
    (lab_dir / "lab.toml").write_text(f'[lab]\nname = "{name}"\ntitle = "{name}"\nstudent_file = "{name}.py"\n'
                                      f'points = {points}\nhidden_visibility = "after_published"\n\n'
                                      f"[limits]\n{limit_lines}")
    (lab_dir / "tests" / "public" / f"test_{name}.py").write_text(tests)
    path = root / f"{name}.py"
    path.write_text(submission)
    return Lab.load(lab_dir, root), path
