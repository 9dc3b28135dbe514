"""Check cells: a function's public tests, run from a notebook, shown as ``dlgrade check`` shows them.

The engine runs in the notebook's kernel; the student's code still runs in a worker process, so
a crash or an endless loop in it fails a test instead of killing the kernel.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from autograder.grading.outcomes import GradeReport
from autograder.labs import Lab, find_lab

CELLS = "cells"
"""``source=CELLS``: check the code cells this kernel has run (for work written in the notebook)."""


def public_report(lab: str | Lab, *functions: str, source: str | Path | None = None) -> GradeReport:
    """The public tests of ``functions`` (all of them when none are named) on ``source``.

    ``source`` is the student's file (``<lab>.py`` in the current folder by default), anything else
    ``dlgrade grade`` accepts (a folder, a .zip, a .ipynb), or ``CELLS``.
    """
    from autograder.grading.pipeline import GradingOptions, grade

    lab = find_lab(lab) if isinstance(lab, str) else lab
    with _source_path(lab, source) as path:
        report = grade(lab, path, GradingOptions(hidden=False, functions=functions))
    report.submission = str(source or lab.student_file)
    return report


def check(lab: str | Lab, *functions: str, source: str | Path | None = None,
          console: Console | None = None) -> None:
    """Run the public tests of ``functions`` and print the table ``dlgrade check`` prints."""
    from autograder.reports.console import render

    lab = find_lab(lab) if isinstance(lab, str) else lab
    console = console or Console()
    if source is None and not (Path.cwd() / lab.student_file).exists():
        console.print(f"[red]no {lab.student_file} in {Path.cwd()}[/red]: keep this notebook next to it")
        return
    report = public_report(lab, *functions, source=source)
    what = ", ".join(functions) if functions else "all functions"
    if not report.tests:
        console.print(f"[yellow]no public tests of {what}[/yellow] (check the spelling)")
        return
    render(report, console, title=f"{lab.title}: public tests of {what}")
    console.print("[dim]Hidden tests run when you submit; they check the harder cases too.[/dim]")


@contextlib.contextmanager
def when_implemented(*names: str) -> Iterator[None]:
    """Run a demo (a training run, a plot) once ``names`` are written; until then say what it waits for.

    Only ``NotImplementedError`` is absorbed: any other error is the student's to see.
    """
    try:
        yield
    except NotImplementedError:
        print(f"(this cell shows its results once {' and '.join(names)} work)")


@contextlib.contextmanager
def _source_path(lab: Lab, source: str | Path | None) -> Iterator[Path]:
    if source is None:
        yield Path.cwd() / lab.student_file
    elif source == CELLS:
        from autograder.grading.notebook_code import source_from_cells

        with tempfile.TemporaryDirectory(prefix="dlgrade-cells-") as tmp:
            path = Path(tmp) / lab.student_file
            path.write_text(source_from_cells(_executed_cells()))
            yield path
    else:
        yield Path(source)


def _executed_cells() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("source='cells' works only inside a notebook or IPython")
    # Every cell run so far, in order (re-runs too: the last definition wins, as in the kernel).
    return list(shell.user_ns.get("In", [])[1:])
