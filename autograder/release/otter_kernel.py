"""What runs inside Otter's kernel: the generated test files of an Otter export call ``outcome_of``.

Otter grades in process: it executes the submission in a Jupyter kernel and runs its test files
there, against the submission's globals. The first test case of a run grades the whole lab once,
through the same pipeline as ``dlgrade grade`` but with an ``InProcessClient``: the submission's
objects are called directly in the kernel, with no worker process between them and the harness
(what Otter's model gives up: see docs/courses.md).
"""

from __future__ import annotations

import types

from autograder.grading.outcomes import TestOutcome
from autograder.grading.pipeline import grade
from autograder.labs import Lab, find_lab
from autograder.sandbox.inprocess import InProcessClient

_graded: tuple[dict, dict[str, TestOutcome]] | None = None


def grade_in_process(env: dict, lab: Lab) -> dict[str, TestOutcome]:
    """Every test of ``lab`` on the submission whose globals are ``env``, by test id."""
    module = types.ModuleType(lab.module)
    module.__dict__.update(env)
    report = grade(lab, None, runner=InProcessClient(module, lab.probes))
    return {t.nodeid: t for t in report.tests}


def outcome_of(env: dict, lab_name: str, nodeid: str) -> None:
    """An Otter test case: pass when dlgrade's test ``nodeid`` passed, else fail with its message."""
    global _graded
    if _graded is None or _graded[0] is not env:
        _graded = (env, grade_in_process(env, find_lab(lab_name)))
    outcome = _graded[1].get(nodeid)
    if outcome is None:
        raise AssertionError(f"dlgrade did not run {nodeid}")
    if not outcome.passed:
        raise AssertionError(outcome.message or "failed")
