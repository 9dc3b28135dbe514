"""The bench's table (bench/figures.py) on made-up figures: verdicts, goals and the summary line, no timing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from rich.console import Console

_spec = importlib.util.spec_from_file_location("bench_figures", Path(__file__).resolve().parents[1] / "bench" /
                                               "figures.py")
figures = sys.modules["bench_figures"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up
_spec.loader.exec_module(figures)
Figure = figures.Figure

FIGURES = [
    Figure("check", 1.5, goal=1.0, load=2.5, note="median of 5"),
    Figure("grade", 4.0, goal=10.0),
    Figure("speed-up", 2.4, unit="x", goal=3.0, at_least=True),
    Figure("throughput", 1.9, unit="x", goal=1.7, at_least=True),
    Figure("peak", 612.0, unit="MB", goal=600.0),
    Figure("torch import", 1.2),
]


def test_verdicts_say_by_how_much_a_goal_is_missed():
    assert [f.verdict() for f in FIGURES] == [
        "missed by 0.50 s (50%)", "met", "missed by 0.60x (20%)", "met", "missed by 12 MB (2%)", ""]
    assert [f.goal_text() for f in FIGURES] == ["≤ 1.00 s", "≤ 10.00 s", "≥ 3.00x", "≥ 1.70x", "≤ 600 MB", ""]


def test_table_shows_every_figure_with_its_goal_and_load():
    console = Console(record=True, width=200)
    console.print(figures.table(FIGURES, "bench"))
    text = console.export_text()
    for line in ("check", "1.50 s", "≤ 1.00 s", "missed by 0.50 s (50%)", "2.5", "median of 5", "612 MB",
                 "torch import"):
        assert line in text
    assert figures.summary(FIGURES) == ("2 of 5 goals met; missed: check (missed by 0.50 s (50%)); speed-up (missed "
                                        "by 0.60x (20%)); peak (missed by 12 MB (2%))")
