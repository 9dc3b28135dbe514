"""What a batch is made of: the submissions, one results.json each, and the manifest.

``DIR/<student>/results.json`` is written atomically, so a batch killed at any moment leaves
each student either finished or not started; ``DIR/batch.json`` records which lab and which tests
the batch grades, so that a resumed batch cannot mix two kinds of results. Each results.json
records the digest of the submission it grades: a student who hands in again is graded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
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
# The digest of the submission that a results.json grades (``submission_digest``).
DIGEST_KEY = "dlgrade_submission_sha256"


class BatchError(Exception):
    """The batch cannot start (a wrong folder, a DIR that holds another lab's batch)."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path
    digest: str = ""  # ``submission_digest(path)``, taken by the batch before it grades


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


def submission_digest(path: Path) -> str:
    """SHA-256 of what a student handed in, the same for the same work however it was copied.

    A file: its bytes. A folder: its files' relative paths and bytes, a link as its target (never
    followed). A zip: its members' names, sizes and CRC-32s as its directory lists them, so a
    re-zip of the same files is no change and nothing is unpacked (a zip bomb costs nothing here);
    a file that is not a zip, its bytes. Unreadable: a digest of the error, so that it is graded
    (as a zero that says why) once, and again when it can be read.
    """
    path = Path(path)
    h = hashlib.sha256()
    try:
        if path.is_dir() and not path.is_symlink():
            _digest_folder(path, h)
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for info in sorted(zf.infolist(), key=lambda i: i.filename):
                    h.update(f"{info.filename}\0{info.file_size}\0{info.CRC}\n".encode())
        else:
            _digest_file(path, h)
    except (OSError, zipfile.BadZipFile) as exc:
        return "unreadable:" + hashlib.sha256(f"{type(exc).__name__}: {exc}".encode()).hexdigest()
    return h.hexdigest()


def _digest_folder(folder: Path, h: hashlib._Hash) -> None:
    entries = []
    for dirpath, dirnames, filenames in os.walk(folder):  # followlinks=False: a linked folder is a link
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            entries.append(Path(dirpath, name))
    for entry in sorted(entries, key=lambda p: p.relative_to(folder).as_posix()):
        h.update(entry.relative_to(folder).as_posix().encode() + b"\0")
        if entry.is_symlink():
            h.update(b"link\0" + os.readlink(entry).encode() + b"\n")
        else:
            _digest_file(entry, h)


def _digest_file(path: Path, h: hashlib._Hash) -> None:
    with path.open("rb") as fh:
        size = 0
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    h.update(f"\0{size}\n".encode())  # a file's end: two files never run into each other


def breakdown_results(message: str) -> dict[str, Any]:
    """Results for a submission whose grading process died or hung: a zero that resuming retries."""
    data = error_results(f"grading did not finish: {message}; please tell the course staff")
    data["extra_data"] = {RETRY_KEY: message}
    return data


def results_path(out: Path, student: str) -> Path:
    return Path(out) / student / RESULTS


def read_results(out: Path, student: str) -> dict[str, Any] | None:
    """``student``'s results.json, None when there is none (or only a broken one)."""
    try:
        data = json.loads(results_path(out, student).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "score" in data else None


def to_grade(out: Path, job: Submission) -> str | None:
    """Why ``job`` needs grading ("new", "retry", "changed"); None when its results are up to date."""
    data = read_results(out, job.student)
    if data is None:
        return "new"
    extra = data.get("extra_data") or {}
    if RETRY_KEY in extra:
        return "retry"
    return None if extra.get(DIGEST_KEY) == job.digest else "changed"


def store(out: Path, job: Submission, data: dict[str, Any]) -> None:
    """Write ``job``'s results, stamped with the digest of the submission they grade."""
    data = {**data, "extra_data": {**(data.get("extra_data") or {}), DIGEST_KEY: job.digest}}
    write_json_atomic(results_path(out, job.student), data)


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
