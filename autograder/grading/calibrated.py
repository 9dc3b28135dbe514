"""What a lab's calibration (``calibration.json``, written by ``dlgrade calibrate``) tells a student.

A failed training test adds what its measurement reaches in calibration, so that the student sees
how far off the run was: "calibration: correct solutions reach 0.84-0.91; known broken variants
0.10-0.36". Broken variants are never named (that is ``misconceptions``' job, and only from the
whole pattern of failures).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from autograder.labs import Lab


def values(entries: dict) -> list[float]:
    """The measured values of ``entries`` (solution or mutant name -> its runs), runs without one left out."""
    return [run["value"] for entry in entries.values() for run in entry["runs"] if run["value"] is not None]


def _tests(lab: Lab) -> dict[str, dict]:
    try:
        return json.loads(lab.calibration.read_text())["tests"]
    except (FileNotFoundError, ValueError, KeyError):  # an uncalibrated lab
        return {}


def ranges(lab: Lab) -> dict[str, str]:
    """Each calibrated test's (node id) sentence about its distributions; none without a calibration file."""
    return {nodeid: sentence(values(t["solutions"]), values(t["mutants"])) for nodeid, t in _tests(lab).items()}


@dataclass(frozen=True)
class Figures:
    """A calibrated test's headline, as its calibration assessed it (``dlgrade validate`` checks it holds)."""

    nodeid: str
    threshold: float
    seeds: int
    ok: bool
    false_fail: float  # the largest bound of a correct solution's failing the test
    false_pass: float  # the largest bound of a targeted bug's passing it
    ranges: str


def figures(lab: Lab) -> list[Figures]:
    """The lab's calibrated tests' figures, for a class report; none without a calibration file."""
    return [Figures(nodeid, t["threshold"], len(t["seeds"]), t["assessment"]["ok"],
                    max((c["false_fail_upper"] for c in t["assessment"]["correct"].values()), default=0.0),
                    held_to(t["assessment"]),
                    sentence(values(t["solutions"]), values(t["mutants"])).removeprefix("calibration: "))
            for nodeid, t in sorted(_tests(lab).items())]


def held_to(assessment: dict) -> float:
    """The largest bound of a targeted bug's passing a test, of the bugs held to it there (not those another
    training test bounds: ``caught_by``)."""
    return max((m["false_pass_upper"] for m in assessment["mutants"].values() if "caught_by" not in m), default=0.0)


def sentence(correct: list[float], broken: list[float]) -> str:
    parts = [f"{who} {_span(found)}" for who, found in (("correct solutions reach", correct),
                                                          ("known broken variants", broken)) if found]
    return "calibration: " + "; ".join(parts) if parts else ""


def _span(found: Iterable[float]) -> str:
    found = sorted(found)
    return f"{found[0]:.3g}" if found[0] == found[-1] else f"{found[0]:.3g}-{found[-1]:.3g}"
