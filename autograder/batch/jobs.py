"""What a batch is made of: the submissions, one results.json each, and the manifest.

``DIR/<student>/results.json`` is written atomically, so a batch killed at any moment leaves
each student either finished or not started; ``DIR/batch.json`` records which lab and which tests
the batch grades, so that a resumed batch cannot mix two kinds of results.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.files import stale_partial_files, write_json_atomic
from autograder.grading.results import error_results
from autograder.labs import Lab

RESULTS = "results.json"
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
    """One submission per file or folder of ``folder``, named after it (without its suffix).

    Nothing is followed: a link is a submission of its own, which grading refuses; it never
    stands for the work it points to (another student's)."""
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
    return path.name if stat.S_ISDIR(os.lstat(path).st_mode) else path.stem


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
    write_json_atomic(results_path(out, student), data)


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
    write_json_atomic(path, manifest)
    for folder in Path(out).iterdir():  # left by a batch killed in mid-write
        if folder.is_dir():
            for stale in stale_partial_files(folder, RESULTS):
                stale.unlink(missing_ok=True)
