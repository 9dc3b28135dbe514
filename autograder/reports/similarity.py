"""Pairs of submissions whose code is unusually alike: a flag for a person to look at, never a score.

Each student's code is the module grading makes of their submission (``prepare_module``: the file
graded, a notebook as its code), so the comparison sees what was graded. copydetect fingerprints it
(winnowed k-grams of tokens with names, strings and comments taken out, so renaming variables
changes nothing) with the template's fingerprints removed: code every student was given is no sign
of copying. A pair is flagged when either side's remaining code is mostly found in the other.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from autograder.batch.jobs import discover
from autograder.grading.submission import SubmissionError, prepare_module
from autograder.labs import Lab

THRESHOLD = 0.5  # share of a submission's own (non-template) code found in the other
NOISE = 25  # copydetect's k: shorter matches than this many filtered characters are chance
MIN_TOKENS = 100  # less of their own code than this: too little to call anything copied


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    similarity: float  # the larger of the two shares
    code: tuple[str, str]
    copied: tuple[list[tuple[int, int]], list[tuple[int, int]]]  # (start, end) of matching code in each


def submission_sources(lab: Lab, submissions: Path) -> dict[str, str]:
    """Each student's graded code, by student; submissions with nothing gradable are left out."""
    sources = {}
    with tempfile.TemporaryDirectory(prefix="dlgrade-similar-") as tmp:
        for job in discover(Path(submissions)):
            try:
                sources[job.student] = prepare_module(job.path, lab, Path(tmp)).path.read_text(encoding="utf-8")
            except (SubmissionError, OSError, UnicodeDecodeError):
                continue
    return sources


def similar_pairs(sources: dict[str, str], template: str = "", threshold: float = THRESHOLD) -> list[SimilarPair]:
    """The pairs of ``sources`` alike beyond ``threshold``, most alike first."""
    from copydetect.detector import CodeFingerprint, compare_files

    boilerplate = list(CodeFingerprint("template.py", NOISE, 1, fp=io.StringIO(template)).hashes) if template else []
    prints = {student: CodeFingerprint(f"{student}.py", NOISE, 1, boilerplate=boilerplate, fp=io.StringIO(code))
              for student, code in sources.items()}
    prints = {s: p for s, p in prints.items() if p.token_coverage >= MIN_TOKENS}
    pairs = []
    for a, b in combinations(sorted(prints), 2):
        _, shares, slices = compare_files(prints[a], prints[b])
        similarity = float(max(shares))
        if similarity >= threshold:
            pairs.append(SimilarPair(a, b, similarity, (sources[a], sources[b]),
                                     (_spans(slices[0]), _spans(slices[1]))))
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second))


def _spans(slices) -> list[tuple[int, int]]:
    return [(int(s), int(e)) for s, e in zip(*slices, strict=True)] if len(slices) and len(slices[0]) else []
