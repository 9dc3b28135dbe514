"""gradebook.csv: one row per student of a batch, one column per test, from their results.json files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from autograder.batch.jobs import results_path
from autograder.files import write_atomic
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, collect
from autograder.grading.results import to_results
from autograder.labs import Lab

GRADEBOOK = "gradebook.csv"


def gradebook_columns(lab: Lab, hidden: bool) -> list[str]:
    """The lab's test names, as results.json names them, in the order the tests run."""
    report = GradeReport(lab=lab.name, submission="", tests=collect(lab, GradingOptions(hidden=hidden)))
    return _unique([t["name"] for t in to_results(report)["tests"]])


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def write_gradebook(out: Path, students: list[str], columns: list[str]) -> Path:
    """``out/gradebook.csv``: student, total, then one column per test (blank where nothing was graded)."""
    rows, extra = [], []
    for student in sorted(students):
        try:
            data = json.loads(results_path(out, student).read_text())
        except (OSError, ValueError):
            rows.append({"student": student})
            continue
        scores = dict(zip(_unique([t.get("name", "") for t in data.get("tests", [])]),
                          (t.get("score", 0) for t in data.get("tests", [])), strict=True))
        extra += [name for name in scores if name not in columns and name not in extra]
        rows.append({"student": student, "total": _number(data.get("score", 0)),
                     **{name: _number(score) for name, score in scores.items()}})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["student", "total", *columns, *extra], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return write_atomic(Path(out) / GRADEBOOK, buffer.getvalue())


def _number(value: Any) -> str:
    return f"{float(value):g}"
