"""What a batch is made of: the submissions, one results.json each, and the gradebook.

``DIR/<student>/results.json`` is written atomically, so a batch killed at any moment leaves
each student either finished or not started; ``DIR/batch.json`` records which lab and which tests
the batch grades, so that a resumed batch cannot mix two kinds of results.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.grading.outcomes import GradeReport, TestOutcome
from autograder.labs import Lab
from autograder.results.gradescope import error_results, to_results, validate, write_atomic

RESULTS = "results.json"
GRADEBOOK = "gradebook.csv"
MANIFEST = "batch.json"
# Marks results written because grading broke down (not the submission's fault): retried on resume.
RETRY_KEY = "dlgrade_batch_error"


class BatchError(Exception):
    """The batch cannot start (a wrong folder, a DIR that holds another lab's batch)."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def discover(folder: Path) -> list[Submission]:
    """One submission per file or folder of ``folder``, named after it (without its suffix)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BatchError(f"{folder} is not a folder of submissions")
    entries = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".") and p.name != "__MACOSX"]
    stems: dict[str, int] = {}
    for p in entries:
        stems[_stem(p)] = stems.get(_stem(p), 0) + 1
    # alice.py and alice.zip both handed in: keep both, under their full names.
    return [Submission(_stem(p) if stems[_stem(p)] == 1 else p.name, p) for p in entries]


def _stem(path: Path) -> str:
    return path.name if path.is_dir() else path.stem


def results_for(lab: Lab, submission: Path, hidden: bool = True, sandbox: str = "auto",
                protect: tuple[Path, ...] = ()) -> tuple[GradeReport | None, dict[str, Any]]:
    """Grade ``submission`` into Gradescope's results; a grading failure becomes a clear zero.

    ``protect``: paths the submission's worker must not see (the other students' work and results).
    """
    from autograder.grading.engine import grade

    try:
        report = grade(lab, Path(submission), hidden=hidden, sandbox=sandbox, protect=protect)
        data = to_results(report, lab.hidden_visibility)
        validate(data)
    except Exception as exc:  # the results file is always written, even when grading breaks
        return None, error_results(f"grading could not finish: {type(exc).__name__}: {exc}")
    return report, data


def breakdown_results(message: str) -> dict[str, Any]:
    """Results for a submission whose grading process died or hung: a zero that resuming retries."""
    data = error_results(f"grading did not finish: {message}; please tell the course staff")
    data["extra_data"] = {RETRY_KEY: message}
    return data


def results_path(out: Path, student: str) -> Path:
    return Path(out) / student / RESULTS


def finished(out: Path, student: str) -> bool:
    """Whether ``student`` has complete results that need no retry."""
    try:
        data = json.loads(results_path(out, student).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "score" in data and RETRY_KEY not in (data.get("extra_data") or {})


def store(out: Path, student: str, data: dict[str, Any]) -> None:
    write_atomic(results_path(out, student), data)


def open_batch(out: Path, lab: Lab, hidden: bool, submissions: Path) -> None:
    """Create ``out`` for a batch, or check that it holds a batch of the same lab and tests."""
    manifest = {"lab": lab.name, "tests": "all" if hidden else "public", "submissions": str(submissions)}
    path = Path(out) / MANIFEST
    if path.exists():
        try:
            old = json.loads(path.read_text())
        except ValueError:
            old = {}
        if (old.get("lab"), old.get("tests")) != (manifest["lab"], manifest["tests"]):
            raise BatchError(f"{out} holds a batch of {old.get('lab')} ({old.get('tests')} tests), not of "
                             f"{lab.name} ({manifest['tests']} tests): choose another --out")
    write_atomic(path, manifest)
    for stale in Path(out).glob(f"*/.{RESULTS}.*.tmp"):  # left by a batch killed in mid-write
        stale.unlink(missing_ok=True)


def use_grading_profile() -> None:
    """Load grading's hypothesis profile before anything imports a lab's tests in this process.

    ``@settings`` takes hypothesis' defaults as they are when a test module is imported, and the
    engine caches test modules: imported first by ``collect`` (a broken submission, a gradebook's
    columns), they would keep hypothesis' 200 ms deadline for every later grading here.
    """
    from hypothesis import settings

    from autograder.grading.plugin import HYPOTHESIS_PROFILE

    settings.load_profile(HYPOTHESIS_PROFILE)


def collect_tests(lab: Lab, hidden: bool) -> list[TestOutcome]:
    """``engine.collect``, safe to call before any grading in the same process."""
    from autograder.grading.engine import collect

    use_grading_profile()
    return collect(lab, hidden=hidden)


def gradebook_columns(lab: Lab, hidden: bool) -> list[str]:
    """The lab's test names, as results.json names them, in the order the tests run."""
    report = GradeReport(lab=lab.name, submission="", tests=collect_tests(lab, hidden))
    return _unique([t["name"] for t in to_results(report)["tests"]])


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def write_gradebook(out: Path, students: list[str], columns: list[str]) -> Path:
    """``gradebook.csv``: student, total, then one column per test (blank where nothing was graded)."""
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
    path = Path(out) / GRADEBOOK
    write_text_atomic(path, buffer.getvalue())
    return path


def _number(value: Any) -> str:
    return f"{float(value):g}"


def write_text_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the whole new one (``write_atomic`` for text that is not JSON)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a report or gradebook from a web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
