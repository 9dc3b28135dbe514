"""The results.json writer: Gradescope's results file, written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.files import write_json_atomic


def write_results(path: Path, data: dict[str, Any]) -> Path:
    """Write results ``data`` (``grading.results.to_results``) to ``path``; a reader never sees half a file."""
    return write_json_atomic(path, data)
