"""A ``GradeReport`` as Gradescope's results.json, checked against the schema, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from autograder.grading.outcomes import GradeReport

SCHEMA_PATH = Path(__file__).with_name("gradescope_schema.json")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def validate(results: dict) -> None:
    jsonschema.validate(results, schema())


def to_results(report: GradeReport, hidden_visibility: str = "after_published") -> dict[str, Any]:
    tests = []
    for number, t in enumerate(report.tests, start=1):
        output = t.message if not t.passed else ""
        if t.output:
            output += ("\n\n" if output else "") + "your code printed:\n" + t.output
        entry = {
            "name": f"{t.function}: {t.title}" if t.function else t.title,
            "number": str(number),
            "score": t.score,
            "max_score": t.max_score,
            "status": "passed" if t.passed else "failed",
            "output": output,
            "visibility": "visible" if t.visibility == "public" else hidden_visibility,
            "tags": [tag for tag in (t.function, t.visibility, t.kind) if tag],
        }
        tests.append(entry)
    summary = f"{report.lab}: {report.score:g} / {report.max_score:g}"
    notes = "\n".join([summary, *report.notes])
    return {
        "score": report.score,
        "execution_time": round(report.execution_time, 3),
        "output": notes,
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": report.extra,
        "tests": tests,
    }


def write_atomic(path: Path, data: dict) -> None:
    """Readers see the old file or the whole new one, never a half-written one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def error_results(message: str) -> dict:
    """What to write when grading itself could not finish: a clear zero, never a missing file."""
    return {"score": 0, "execution_time": 0, "output": message, "output_format": "text", "tests": [],
            "visibility": "visible"}
