"""The bench's one table: each figure beside its goal, met or missed by how much, and the load it was measured at.

Pure reporting (no measuring), so that ``tests/test_bench_figures.py`` can render it on made-up
figures: the table cannot rot between the runs of the (slow) bench.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``goal`` None: shown for what it tells, judged against nothing."""

    what: str
    value: float
    unit: str = "s"
    goal: float | None = None
    at_least: bool = False
    """The goal is a floor (a speed-up, a throughput ratio), not a ceiling (a time, a memory peak)."""
    load: float | None = None
    """The machine's 1-minute load average when it was measured (a shared machine: times are noisy)."""
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        return self.value >= self.goal if self.at_least else self.value <= self.goal

    def verdict(self) -> str:
        """"met", "missed by <amount> (<percent>)", or "" without a goal."""
        if self.met is None:
            return ""
        if self.met:
            return "met"
        gap = abs(self.value - self.goal)
        percent = f" ({100 * gap / self.goal:.0f}%)" if self.goal else ""
        return f"missed by {_amount(gap, self.unit)}{percent}"

    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        return ("≥ " if self.at_least else "≤ ") + _amount(self.goal, self.unit)


def _amount(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.1f} {unit}"


def table(figures: list[Figure], title: str) -> Table:
    out = Table(title=title, title_justify="left")
    for column in ("figure", "measured", "goal", "verdict", "load", "note"):
        out.add_column(column, justify="right" if column in ("measured", "goal", "load") else "left")
    for f in figures:
        style = {True: "green", False: "red", None: ""}[f.met]
        out.add_row(f.what, _amount(f.value, f.unit), f.goal_text(), f"[{style}]{f.verdict()}[/{style}]" if style
                    else "", "" if f.load is None else f"{f.load:.1f}", f.note)
    return out


def summary(figures: list[Figure]) -> str:
    """One line: how many goals are met, and which are missed."""
    judged = [f for f in figures if f.met is not None]
    missed = [f for f in judged if not f.met]
    line = f"{len(judged) - len(missed)} of {len(judged)} goals met"
    return line + ("; missed: " + "; ".join(f"{f.what.strip()} ({f.verdict()})" for f in missed) if missed else "")
