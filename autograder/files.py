"""Files the grader writes for others to read, and files it reads from students.

Writing (results, gradebooks, reports): one writer for all of them: readers see the old file or
the whole new one, never half of one, and every file gets the same mode (0644: a web server or an
LMS importer must be able to read a report or a gradebook that the grader wrote as root).

Reading what a student handed in: as data, never followed. A symbolic link is not read (it could
point to the reference solution, a root-only file or ``/dev/zero``), nor is anything but a regular
file (a FIFO would block the grader forever), nor a file larger than the caller's bound; folders
are walked without entering links. The walk and the read may be separated in time: prepared
submissions are read before any of their code runs, so nothing swaps a folder for a link between
the two, and the last component is opened with ``O_NOFOLLOW`` and checked again on the open file.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODE = 0o644


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Replace ``path`` with ``data`` in one step; a crash leaves the old file, never a partial one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, MODE)  # mkstemp's 0600 would hide the file from everyone but its writer
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: Path, value: Any) -> Path:
    return write_atomic(path, json.dumps(value, indent=2) + "\n")


def stale_partial_files(folder: Path, name: str) -> list[Path]:
    """Temporary files of ``write_atomic`` for ``name`` left by a process killed in mid-write."""
    return sorted(Path(folder).glob(f".{name}.*.tmp"))


# -- reading what students hand in --------------------------------------------------------------
class RefusedFile(OSError):
    """A file of a submission that is not read; the message says why, after the file's name."""


def refusal(mode: int) -> str | None:
    """Why a file of ``mode`` (``st_mode``) is not read as data; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are not followed: hand in the file itself)"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file (a FIFO, socket or device)"


def megabytes(size: int) -> str:
    return f"{size / 2**20:g} MB"


def read_untrusted(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; ``RefusedFile`` otherwise."""
    path = Path(path)
    before = os.lstat(path)
    why = refusal(before.st_mode)
    if why is None and before.st_size > limit:
        why = f"larger than {megabytes(limit)}"
    if why is not None:
        raise RefusedFile(f"{path.name} is {why}")
    # O_NONBLOCK: should a FIFO take the file's place after the lstat, opening it must not wait for a writer.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link (EMLINK on FreeBSD)
            raise RefusedFile(f"{path.name} is {refusal(stat.S_IFLNK)}") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or refusal(now.st_mode) is not None:
            raise RefusedFile(f"{path.name} changed while it was read")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise RefusedFile(f"{path.name} is larger than {megabytes(limit)}")
    return data


@dataclass(frozen=True)
class Entry:
    """One thing found in a folder, as it is there (``mode`` from ``lstat``: a link is a link)."""

    path: Path
    """Relative to the folder walked."""
    mode: int
    size: int


def walk_untrusted(folder: Path, max_entries: int, prune: Callable[[str], bool] = lambda name: False
                   ) -> list[Entry]:
    """Everything under ``folder`` but its folders, in a stable order, entering no link and no folder
    whose name ``prune`` accepts; ``RefusedFile`` beyond ``max_entries`` entries."""
    folder = Path(folder)
    found: list[Entry] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not prune(d))
        for name in sorted(dirs) + sorted(files):
            path = Path(top, name)
            try:
                st = os.lstat(path)
            except OSError:  # gone since the folder was listed
                continue
            if stat.S_ISDIR(st.st_mode):
                continue  # os.walk enters it (a link to a folder is not a folder to lstat: it is listed)
            found.append(Entry(path.relative_to(folder), st.st_mode, st.st_size))
            if len(found) > max_entries:
                raise RefusedFile(f"{folder.name} holds more than {max_entries} files")
    return found
