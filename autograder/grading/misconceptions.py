"""Which known mistake a submission's failures look like.

A lab's known mistakes are its buggy variants (``assignments/<lab>/mutants/``). ``dlgrade validate``
records each one's failure signature, the (test, kind of failure) pairs of a full grading of it, in
the lab's ``signatures.json`` (private: it names the hidden tests). A student's failures are compared
with every signature by Jaccard similarity over those pairs; the closest one at or above
``THRESHOLD`` is named in the feedback by its description only, never by the tests it fails, so the
note says nothing about which hidden test failed.

Mutants with the same signature cannot be told apart by the tests: they are named together, as one
of them (in optimizers 11 of 23 mutants share a signature with another: naming neither would silence
half its catalogue); validation lists them so that an author can add the test that separates them.
Different signatures equally close to the failures: the one whose first mutant comes first by name
wins, so the same failures always get the same note.
"""

from __future__ import annotations

import json
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
    mistakes: tuple[KnownMistake, ...]  # one, or those whose failures are the same, by name
    similarity: float

    def data(self) -> dict[str, object]:
        """What results.json's extra_data carries for the class report: ``alike`` only for several."""
        first, *alike = self.mistakes
        data = {"mutant": first.mutant, "description": self._descriptions(), "similarity": self.similarity}
        return data | ({"alike": [m.mutant for m in alike]} if alike else {})

    def note(self) -> str:
        if len(self.mistakes) == 1:
            return f"this pattern of failures matches a known mistake: {self._descriptions()}"
        return f"this pattern of failures matches known mistakes the tests cannot tell apart: {self._descriptions()}"

    def _descriptions(self) -> str:
        return "; or ".join(m.description for m in self.mistakes)


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


def by_signature(known: list[KnownMistake]) -> dict[Signature, list[KnownMistake]]:
    """The mistakes grouped by their failures, by name within a group and by first name between them."""
    groups: dict[Signature, list[KnownMistake]] = {}
    for mistake in sorted(known, key=lambda k: k.mutant):
        groups.setdefault(mistake.signature, []).append(mistake)
    return groups


def best_match(failures: Signature, known: list[KnownMistake], threshold: float = THRESHOLD) -> Match | None:
    """The known mistake(s) closest to ``failures``; None below ``threshold``."""
    groups = by_signature(known)
    if not failures or not groups:
        return None
    signature = max(groups, key=lambda sig: similarity(failures, sig))  # the first of equals
    score = similarity(failures, signature)
    return Match(tuple(groups[signature]), round(score, 4)) if score >= threshold else None


def annotate(report: GradeReport, path: Path) -> None:
    """Name the known mistake ``report``'s failures match, in its notes and its extra data."""
    match = best_match(signature_of(report.tests), load(path))
    if match is not None:
        report.notes.append(match.note())
        report.extra["misconception"] = match.data()
