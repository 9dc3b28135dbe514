"""Deterministic zip archives: the same inputs always give byte-identical files."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

_EPOCH = (2020, 1, 1, 0, 0, 0)
_SKIP = {"__pycache__", ".pytest_cache", ".hypothesis"}


def tree(root: Path, prefix: str, exclude: Iterable[str] = ()) -> dict[str, Path]:
    """archive name -> file, for every file under ``root`` except caches and ``exclude`` (relative)."""
    excluded = {Path(e) for e in exclude}
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or _SKIP & set(rel.parts) or any(rel.is_relative_to(e) for e in excluded):
            continue
        out[f"{prefix}/{rel.as_posix()}" if prefix else rel.as_posix()] = path
    return out


def write_zip(target: Path, files: dict[str, Path | str], executable: Iterable[str] = ()) -> Path:
    """Write ``files`` (name -> path or text) to ``target``; names in ``executable`` get mode 755."""
    executable = set(executable)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            source = files[name]
            data = source.encode() if isinstance(source, str) else source.read_bytes()
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return target
