"""What grading produces: one outcome per test, and the report of a whole submission."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.failures import Kind
from autograder.toolkit.training import Trained


@dataclass
class TestOutcome:
    nodeid: str
    title: str
    function: str | None
    max_score: float
    visibility: str  # "public" or "hidden"
    passed: bool
    message: str = ""
    kind: Kind | None = None  # why the points were lost; None when passed
    output: str = ""
    duration: float = 0.0
    trained: Trained | None = None  # the test's expect_trained: its threshold, seeds and measured runs

    @property
    def score(self) -> float:
        return self.max_score if self.passed else 0.0

    @property
    def name(self) -> str:
        """How every output names the test: the function it charges, then what it checks."""
        return f"{self.function}: {self.title}" if self.function else self.title


@dataclass
class GradeReport:
    lab: str
    submission: str
    tests: list[TestOutcome] = field(default_factory=list)
    execution_time: float = 0.0
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    stopped_early: bool = False

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    def scores(self) -> dict[str, float]:
        return {t.nodeid: t.score for t in self.tests}
