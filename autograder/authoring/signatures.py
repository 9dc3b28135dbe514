"""A lab's ``signatures.json``: each buggy variant's failures in a full grading, as validation finds them.

The file records what it was made from (the content hashes of the tests, the reference and the
mutants), so a change to any of them shows it stale without grading anything
(``stale``), which is what ``dlgrade validate`` checks; ``--write-signatures`` grades every mutant in
full and writes it anew.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from autograder.authoring.mutants import describe, mutant_files
from autograder.grading.misconceptions import signature_of
from autograder.grading.outcomes import GradeReport
from autograder.labs import Lab

_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis"}


def digest(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _CACHES & set(p.parts)) if folder.is_dir() else []


def sources(lab: Lab) -> dict[str, str]:
    """The SHA-256 of what the signatures depend on: the tests (public and hidden), the reference, the mutants."""
    return {
        "tests": digest([*files(lab.public_tests), *files(lab.hidden_tests)], lab.directory),
        "reference": digest([lab.reference], lab.reference.parent),
        "mutants": digest(mutant_files(lab), lab.mutants),
    }


def signatures_data(lab: Lab, reports: dict[str, GradeReport]) -> dict:
    """The file's content from each mutant's (by stem) report of a full grading."""
    by_stem = {p.stem: p for p in mutant_files(lab)}
    return {
        "lab": lab.name,
        "sources_sha256": sources(lab),
        "mutants": {stem: {"description": describe(by_stem[stem]),
                           "failures": dict(signature_of(report.tests))}
                    for stem, report in sorted(reports.items())},
    }


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def stale(lab: Lab) -> str | None:
    """Why the lab's committed signatures cannot be trusted, or None when they match its sources."""
    if not lab.signatures.exists():
        return f"{lab.signatures.name} is missing"
    data = json.loads(lab.signatures.read_text())
    changed = [k for k, v in sources(lab).items() if data.get("sources_sha256", {}).get(k) != v]
    if changed:
        return f"{lab.signatures.name} is stale: the {', '.join(changed)} changed since it was written"
    return None
