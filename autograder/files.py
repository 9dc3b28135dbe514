"""Writing files that readers may look at while they are written: results, gradebooks, reports.

One writer for all of them: readers see the old file or the whole new one, never half of one,
and every file gets the same mode (0644: a web server or an LMS importer must be able to read a
report or a gradebook that the grader wrote as root).
"""

from __future__ import annotations

import json
import os
import tempfile
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
