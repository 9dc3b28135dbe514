"""The score table a student or instructor reads in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.failures import Kind
from autograder.grading.outcomes import GradeReport

_PASSED = ("pass", "green")
_STATUS = {
    Kind.NOT_IMPLEMENTED: ("todo", "yellow"), Kind.IMPORT: ("error", "red"), Kind.TIMEOUT: ("timeout", "red"),
    Kind.CRASH: ("crash", "red"), Kind.ERROR: ("error", "red"), Kind.MISMATCH: ("fail", "red"),
    Kind.CHECK: ("fail", "red"), Kind.INTERNAL: ("grader fault", "magenta"),
}


def render(report: GradeReport, console: Console | None = None, *, title: str | None = None,
           show_output: bool = True) -> None:
    console = console or Console()
    table = Table(title=title or f"{report.lab}: {report.submission}", show_lines=True, expand=True)
    table.add_column("test", ratio=3)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("message", ratio=5)
    for t in report.tests:
        label, colour = _PASSED if t.passed else _STATUS.get(t.kind, ("fail", "red"))
        name = t.name
        if t.visibility == "hidden":
            name += " [hidden]"
        message = t.message
        if show_output and t.output:
            message += ("\n" if message else "") + "printed: " + t.output[:500]
        table.add_row(Text(name), f"{t.score:g}/{t.max_score:g}", Text(label, style=colour), Text(message))
    console.print(table)
    for note in report.notes:
        console.print(Text(note, style="yellow"))
    status = "stopped at the first lost point; " if report.stopped_early else ""
    console.print(Text(f"{status}total {report.score:g} / {report.max_score:g}   "
                       f"({report.execution_time:.1f} s)", style="bold"))
