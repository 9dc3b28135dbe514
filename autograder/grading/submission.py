"""Turning what a student handed in (a .py of any name, a .ipynb, a folder, a .zip) into one module file."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path


class SubmissionError(Exception):
    """The submission cannot be read as the lab's module; the message says what to hand in."""


MAX_SOURCE_BYTES = 5 * 1024 * 1024


def prepare_module(submission: Path, student_file: str, workdir: Path) -> Path:
    """Copy the submission's module to ``workdir/<student_file>`` and return that path."""
    submission = Path(submission)
    target = workdir / student_file
    if not submission.exists():
        raise SubmissionError(f"{submission} does not exist")
    if submission.is_dir():
        candidates = sorted(submission.rglob(student_file))
        if not candidates:
            raise SubmissionError(f"no {student_file} in the folder {submission}")
        _copy_source(candidates[0], target)
    elif submission.suffix == ".zip":
        _from_zip(submission, student_file, target)
    elif submission.suffix == ".py":
        _copy_source(submission, target)
    elif submission.suffix == ".ipynb":
        _from_notebook(submission, target)
    else:
        raise SubmissionError(
            f"{submission.name}: hand in {student_file}, a notebook, a folder or a .zip holding it")
    return target


def _copy_source(source: Path, target: Path) -> None:
    if source.stat().st_size > MAX_SOURCE_BYTES:
        raise SubmissionError(f"{source.name} is larger than {MAX_SOURCE_BYTES // 2**20} MB")
    data = source.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(f"{source.name} is not UTF-8 text") from None
    target.write_bytes(data)


def _from_notebook(notebook: Path, target: Path) -> None:
    from autograder.grading.notebook_code import NotebookError, notebook_source

    try:
        source = notebook_source(notebook)
    except NotebookError as exc:
        raise SubmissionError(str(exc)) from None
    if len(source.encode()) > MAX_SOURCE_BYTES:
        raise SubmissionError(f"the code of {notebook.name} is larger than {MAX_SOURCE_BYTES // 2**20} MB")
    target.write_text(source)


def _from_zip(archive: Path, student_file: str, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if Path(n).name == student_file and "__MACOSX" not in n]
            if not names:
                raise SubmissionError(f"{archive.name} holds no {student_file}")
            info = zf.getinfo(sorted(names, key=len)[0])
            if info.file_size > MAX_SOURCE_BYTES:
                raise SubmissionError(f"{student_file} in {archive.name} is too large")
            with tempfile.TemporaryDirectory() as tmp:
                extracted = Path(tmp) / "module.py"
                with zf.open(info) as src, extracted.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                _copy_source(extracted, target)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SubmissionError(f"{archive.name} is not a readable zip file ({exc})") from None
