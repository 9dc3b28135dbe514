"""A ``GradeReport`` as the data of Gradescope's results.json, checked against Gradescope's schema.

Made here, where grading is, so that every route (a single grade, a batch process, a Dask task)
hands the writers the same data; writing it is the writers' job (``reports/results_file.py``).

Its size is bounded whatever the submission does: each test's text is cut at ``TEST_CHARS``, all of
them together at ``TOTAL_CHARS``, visibly ("[... N more characters not shown]"). What a hidden test's
run printed is never in it: the submission saw the hidden inputs and could print them.

The top-level score is the grade, hidden tests included, and Gradescope shows it at once; the hidden
tests themselves (name, message, tags) show when the lab's ``hidden_visibility`` lets them. The
summary says so, with the hidden tests' share of the score (which the student could work out anyway
from the visible tests and the total), so that the visible tests not adding up to the score is
explained rather than a puzzle.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from autograder.grading.outcomes import GradeReport
from autograder.worker.wire import clip_text

SCHEMA_PATH = Path(__file__).with_name("gradescope_schema.json")
TEST_CHARS = 20_000
TOTAL_CHARS = 200_000  # every test's text together: about 200 kB of results.json
# When a student sees the hidden tests' details (name, message), for each of Gradescope's visibilities.
HIDDEN_SHOWN = {"hidden": "never", "after_due_date": "after the due date",
                "after_published": "when the grades are published", "visible": "at once"}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def check_schema(results: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when ``results`` is not what Gradescope accepts."""
    jsonschema.validate(results, schema())


def to_results(report: GradeReport, hidden_visibility: str = "after_published") -> dict[str, Any]:
    tests = []
    room = TOTAL_CHARS
    for number, t in enumerate(report.tests, start=1):
        output = t.message if not t.passed else ""
        if t.output and t.visibility == "public":
            output += ("\n\n" if output else "") + "your code printed:\n" + t.output
        output = clip_text(output, min(TEST_CHARS, room))
        room = max(room - len(output), 0)
        tests.append({
            "name": t.name,
            "number": str(number),
            "score": t.score,
            "max_score": t.max_score,
            "status": "passed" if t.passed else "failed",
            "output": output,
            "visibility": "visible" if t.visibility == "public" else hidden_visibility,
            "tags": [tag for tag in (t.function, t.visibility, t.kind) if tag],
        })
    summary = f"{report.lab}: {report.score:g} / {report.max_score:g}" + _hidden_share(report, hidden_visibility)
    return {
        "score": report.score,
        "execution_time": round(report.execution_time, 3),
        "output": clip_text("\n".join([summary, *report.notes]), TEST_CHARS),
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": report.extra,
        "tests": tests,
    }


def _hidden_share(report: GradeReport, hidden_visibility: str) -> str:
    hidden = [t for t in report.tests if t.visibility != "public"]
    if not hidden or hidden_visibility == "visible":
        return ""
    got, of = round(sum(t.score for t in hidden), 6), round(sum(t.max_score for t in hidden), 6)
    return f"\nof which the hidden tests: {got:g} / {of:g} (their details are shown {HIDDEN_SHOWN[hidden_visibility]})"


def error_results(message: str) -> dict[str, Any]:
    """What to write when grading itself could not finish: a clear zero, never a missing file."""
    return {"score": 0, "execution_time": 0, "output": message, "output_format": "text", "tests": [],
            "visibility": "visible"}
