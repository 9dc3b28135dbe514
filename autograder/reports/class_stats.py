"""The numbers behind ``dlgrade report``: what a batch folder's results.json files say about a class.

A test that did not run the student's code (kind ``not_implemented`` or ``import``) is a
non-attempt, counted apart from failures: a function nobody has written yet is not one the class
struggles with. Tests carry their function, visibility (public or hidden) and kind as results.json
tags (``grading/results.py``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.jobs import MANIFEST, RESULTS, RETRY_KEY
from autograder.failures import Kind

VISIBILITIES = ("public", "hidden")
NO_FUNCTION = "other tests"
MISCONCEPTION_KEY = "misconception"
# A number on its own (not part of a name such as dx2): 3, -0.25, 1e-06.
_NUMBER = re.compile(r"(?<![\w.])[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass
class TestStats:
    name: str
    max_score: float
    attempts: int = 0  # students whose code this test ran
    failures: int = 0
    not_attempted: int = 0
    kinds: Counter = field(default_factory=Counter)

    @property
    def failure_rate(self) -> float:
        return self.failures / self.attempts if self.attempts else 0.0


@dataclass
class FunctionStats:
    """Per student: whether any test of the function ran their code, and which kind of test they lost."""

    name: str
    attempted: set[str] = field(default_factory=set)
    not_attempted: set[str] = field(default_factory=set)
    failed: dict[str, set[str]] = field(default_factory=lambda: {v: set() for v in VISIBILITIES})
    tested: set[str] = field(default_factory=set)  # the visibilities this function has tests of
    messages: Counter = field(default_factory=Counter)  # normalised first lines of failing tests

    def failure_rate(self, visibility: str) -> float:
        return len(self.failed[visibility]) / len(self.attempted) if self.attempted else 0.0

    @property
    def failing(self) -> set[str]:
        return set().union(*self.failed.values())


@dataclass
class StudentResult:
    student: str
    score: float
    max_score: float
    data: dict  # the whole results.json


@dataclass
class LabStats:
    lab: str
    folder: Path
    manifest: dict = field(default_factory=dict)
    students: dict[str, StudentResult] = field(default_factory=dict)  # graded ones
    ungraded: list[str] = field(default_factory=list)  # grading broke down or could not finish
    unimportable: list[str] = field(default_factory=list)  # scored, but no test could run their code
    tests: dict[str, TestStats] = field(default_factory=dict)
    functions: dict[str, FunctionStats] = field(default_factory=dict)
    misconceptions: dict[str, set[str]] = field(default_factory=dict)  # description -> students
    max_score: float = 0.0

    @property
    def scores(self) -> dict[str, float]:
        return {s.student: s.score for s in self.students.values()}

    def worst_tests(self) -> list[TestStats]:
        return sorted(self.tests.values(), key=lambda t: (-t.failure_rate, -t.max_score, t.name))

    def worst_functions(self) -> list[FunctionStats]:
        return sorted(self.functions.values(),
                      key=lambda f: (-len(f.failing) / max(len(f.attempted), 1), -len(f.not_attempted), f.name))


def load_batches(folder: Path) -> list[LabStats]:
    """Every batch under ``folder`` (itself, or its subfolders up to three levels down)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    roots = [folder] if (folder / MANIFEST).exists() else sorted(
        {p.parent for depth in ("*/", "*/*/", "*/*/*/") for p in folder.glob(depth + MANIFEST)})
    if not roots and any(folder.glob(f"*/{RESULTS}")):
        roots = [folder]  # results without a manifest: copied from somewhere else, still worth a look
    return [load_batch(root) for root in roots]


def load_batch(root: Path) -> LabStats:
    try:
        manifest = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        manifest = {}
    stats = LabStats(lab=manifest.get("lab", root.name), folder=root, manifest=manifest)
    for path in sorted(root.glob(f"*/{RESULTS}")):
        student = path.parent.name
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            stats.ungraded.append(student)
            continue
        tests = data.get("tests") or []
        extra = data.get("extra_data") or {}
        if not tests or RETRY_KEY in extra:
            stats.ungraded.append(student)
            continue
        max_score = sum(float(t.get("max_score", 0)) for t in tests)
        stats.students[student] = StudentResult(student, float(data.get("score", 0)), max_score, data)
        stats.max_score = max(stats.max_score, max_score)
        misconception = extra.get(MISCONCEPTION_KEY)
        if isinstance(misconception, dict) and misconception.get("description"):
            stats.misconceptions.setdefault(str(misconception["description"]), set()).add(student)
        if all(kind(t) == Kind.IMPORT for t in tests):
            # Nothing ran: counting it against every test would hide what the class gets wrong.
            stats.unimportable.append(student)
            continue
        _count(stats, student, tests)
    return stats


def _count(stats: LabStats, student: str, tests: list[dict]) -> None:
    ran: dict[str, bool] = {}
    for t in tests:
        how = kind(t)
        unfinished = bool(Kind.named(how) and Kind(how).submission_unfinished)
        name, function_name = t.get("name", "?"), function_of(t)
        entry = stats.tests.setdefault(name, TestStats(name, float(t.get("max_score", 0))))
        function = stats.functions.setdefault(function_name, FunctionStats(function_name))
        function.tested.add(visibility_of(t))
        ran[function.name] = ran.get(function.name, False) or not unfinished
        if unfinished:
            entry.not_attempted += 1
            continue
        entry.attempts += 1
        if how:
            entry.failures += 1
            entry.kinds[how] += 1
            function.failed[visibility_of(t)].add(student)
            function.messages[normalised_message(t.get("output", ""))] += 1
    for name, any_ran in ran.items():
        (stats.functions[name].attempted if any_ran else stats.functions[name].not_attempted).add(student)


def kind(test: dict) -> str:
    """How a test of results.json failed ("" when it passed; "fail" when no tag says how)."""
    if test.get("status") != "failed" and float(test.get("score", 0)) >= float(test.get("max_score", 0)):
        return ""
    return next((k for k in test.get("tags", []) if Kind.named(k)), "fail")


def function_of(test: dict) -> str:
    return next((t for t in test.get("tags", []) if not Kind.named(t) and t not in VISIBILITIES), NO_FUNCTION)


def visibility_of(test: dict) -> str:
    return "hidden" if "hidden" in test.get("tags", []) else "public"


def normalised_message(output: str) -> str:
    """The first line of a failure message with its numbers taken out, so that students' messages
    that differ only in the values they print count as one."""
    first = next((line.strip() for line in output.splitlines() if line.strip()), "")
    return _NUMBER.sub("#", first) or "(no message)"
