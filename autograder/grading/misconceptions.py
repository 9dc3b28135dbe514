"""Which known mistake a submission's failures look like.

A lab's known mistakes are its buggy variants (``assignments/<lab>/mutants/``). ``dlgrade validate``
records each one's failure signature, the (test, kind of failure) pairs of a full grading of it, in
the lab's ``signatures.json`` (private: it names the hidden tests). A student's failures are compared
with every signature by Jaccard similarity over those pairs; the closest one at or above
``THRESHOLD`` is named in the feedback by its description only, never by the tests it fails, so the
note says nothing about which hidden test failed.

Two mutants with the same signature cannot be told apart by the tests: neither is named (a guess
between them could name the wrong mistake); validation lists such pairs so that an author can add
the test that separates them. Different signatures equally close to the failures: the first mutant
by name wins, so the same failures always get the same note.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.outcomes import GradeReport, TestOutcome

THRESHOLD = 0.6
"""The least Jaccard similarity that names a mistake: most of the failures must be the mutant's."""

Signature = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class KnownMistake:
    mutant: str
    description: str
    signature: Signature


@dataclass(frozen=True)
class Match:
    mutant: str
    description: str
    similarity: float

    def data(self) -> dict[str, object]:
        """What results.json's extra_data carries for the class report."""
        return {"mutant": self.mutant, "description": self.description, "similarity": self.similarity}

    def note(self) -> str:
        return f"this pattern of failures matches a known mistake: {self.description}"


def signature_of(tests: Iterable[TestOutcome]) -> Signature:
    """The failed tests, each with the kind of its failure (one per test: a signature is also a dict)."""
    return frozenset((t.nodeid, str(t.kind)) for t in tests if not t.passed)


def load(path: Path) -> list[KnownMistake]:
    """The known mistakes a ``signatures.json`` records."""
    mutants = json.loads(path.read_text())["mutants"]
    return [KnownMistake(name, entry["description"], frozenset(entry["failures"].items()))
            for name, entry in sorted(mutants.items())]


def similarity(a: Signature, b: Signature) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def best_match(failures: Signature, known: list[KnownMistake], threshold: float = THRESHOLD) -> Match | None:
    """The known mistake closest to ``failures``, None below ``threshold`` or when it is indistinguishable."""
    if not failures:
        return None
    shared = Counter(k.signature for k in known)
    candidates = [k for k in sorted(known, key=lambda k: k.mutant) if shared[k.signature] == 1]
    scored = [(similarity(failures, k.signature), k) for k in candidates]
    best = max((s for s, _ in scored), default=0.0)
    # an indistinguishable pair at least as close as the best candidate: which mistake it is, nobody knows
    if best < threshold or any(similarity(failures, sig) >= best for sig, n in shared.items() if n > 1):
        return None
    top = next(k for s, k in scored if s == best)
    return Match(top.mutant, top.description, round(best, 4))


def annotate(report: GradeReport, path: Path) -> None:
    """Name the known mistake ``report``'s failures match, in its notes and its extra data."""
    match = best_match(signature_of(report.tests), load(path))
    if match is not None:
        report.notes.append(match.note())
        report.extra["misconception"] = match.data()
