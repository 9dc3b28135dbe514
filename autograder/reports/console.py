"""What a student or instructor reads in a terminal, laid out to read at 80 columns.

Tests are grouped under the function they charge (a heading line each), so titles appear without
that prefix: one line per passing test, a block per failing test with its message indented at full
width. Tests lost only because a function is not written yet, or because the file did not load,
are counted on one line instead of repeating the same message once per test.
"""

from __future__ import annotations

import re
import textwrap

from rich.console import Console
from rich.text import Text

from autograder.failures import Kind
from autograder.grading.outcomes import GradeReport, TestOutcome

_PASSED = ("ok", "green")
_STATUS = {
    Kind.IMPORT: ("error", "red"), Kind.TIMEOUT: ("timeout", "red"), Kind.CRASH: ("crash", "red"),
    Kind.ERROR: ("error", "red"), Kind.MISMATCH: ("fail", "red"), Kind.CHECK: ("fail", "red"),
    Kind.INTERNAL: ("grader fault", "magenta"),
}
_MESSAGE_INDENT = 6
_NO_FUNCTION = "other tests"
# StudentError.summary of a stub: "<function>: not implemented yet"
_STUB = re.compile(r"^(?P<function>\S+): not implemented yet$")


def render(report: GradeReport, console: Console | None = None, *, title: str | None = None,
           show_output: bool = True) -> None:
    console = console or Console()
    console.print(Text(title or f"{report.lab}: {report.submission}", style="bold"))
    shown = [t for t in report.tests if t.passed or not t.kind or not t.kind.submission_unfinished]
    label_width = max((len(_status(t)[0]) for t in shown), default=0)
    points_width = max((len(_points(t)) for t in shown), default=0)
    for function, tests in _by_function(shown).items():
        console.print(Text(function, style="bold"))
        for t in tests:
            _print_test(console, t, function, label_width, points_width, show_output)
    stubs = [t for t in report.tests if t.kind == Kind.NOT_IMPLEMENTED]
    if stubs:
        names = dict.fromkeys(_stub_function(t) for t in stubs)
        _print_summary(console, f"not implemented yet: {', '.join(names)} {_count(stubs)}", "yellow")
    unloaded = [t for t in report.tests if t.kind == Kind.IMPORT]
    if unloaded:
        _print_summary(console, f"not run, the file did not load {_count(unloaded)}", "red")
    # Notes say which file was graded (worth a glance) or why nothing could be (worth reading).
    nothing_ran = bool(unloaded) and len(unloaded) == len(report.tests)
    for note in report.notes:
        console.print(Text(note, style="red" if nothing_ran else "dim"))
    status = "stopped at the first lost point; " if report.stopped_early else ""
    console.print(Text(f"{status}total {report.score:g} / {report.max_score:g}   "
                       f"({report.execution_time:.1f} s)", style="bold"))


def _by_function(tests: list[TestOutcome]) -> dict[str, list[TestOutcome]]:
    """Functions in the order their first test ran; a function's hidden tests join its public ones."""
    groups: dict[str, list[TestOutcome]] = {}
    for t in tests:
        groups.setdefault(t.function or _NO_FUNCTION, []).append(t)
    return groups


def _print_test(console: Console, t: TestOutcome, function: str, label_width: int, points_width: int,
                show_output: bool) -> None:
    label, colour = _status(t)
    indent = 2 + label_width + 2 + points_width + 2
    title = t.title + (" [hidden]" if t.visibility == "hidden" else "")
    # Wrapped by hand: continuation lines hang under the title, and a long title is never cut.
    lines = textwrap.wrap(title, width=max(console.width - indent, 20), break_long_words=False) or [""]
    line = Text("  ")
    line.append(f"{label:>{label_width}}", style=colour)
    line.append(f"  {_points(t):>{points_width}}  " + ("\n" + " " * indent).join(lines))
    _print_wrapped(console, line)
    if t.passed:
        return
    message = t.message.removeprefix(f"{function}: ")
    if show_output and t.output:
        message += ("\n" if message else "") + "printed: " + t.output[:500]
    if message:
        _print_wrapped(console, Text(_indented(message, _MESSAGE_INDENT, console.width)))


def _print_summary(console: Console, line: str, style: str) -> None:
    wrapped = textwrap.wrap(line, width=console.width, subsequent_indent="  ", break_long_words=False,
                            break_on_hyphens=False)
    _print_wrapped(console, Text("\n".join(wrapped), style=style))


def _print_wrapped(console: Console, text: Text) -> None:
    """Print text wrapped already: rich must not fold a token that was left whole on purpose."""
    console.print(text, no_wrap=True, crop=False, overflow="ignore")


def _indented(text: str, indent: int, width: int) -> str:
    """``text`` indented and wrapped to ``width``; a wrapped line hangs at its own indentation.

    A token longer than the width (an array's repr) stays whole: copied back, it must still parse."""
    out = []
    for line in text.splitlines():
        body = line.lstrip()
        lead = " " * (indent + len(line) - len(body))
        out += textwrap.wrap(body, width=max(width, len(lead) + 20), initial_indent=lead, subsequent_indent=lead,
                             break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(out)


def _status(t: TestOutcome) -> tuple[str, str]:
    return _PASSED if t.passed else _STATUS.get(t.kind, ("fail", "red"))


def _points(t: TestOutcome) -> str:
    return f"{t.score:g}/{t.max_score:g}"


def _stub_function(t: TestOutcome) -> str:
    """The function that is not written yet: the one the message names (a test may call several)."""
    match = _STUB.match(t.message.partition("\n")[0])
    return match["function"] if match else t.function or _NO_FUNCTION


def _count(tests: list[TestOutcome]) -> str:
    points = sum(t.max_score for t in tests)
    hidden = sum(t.visibility == "hidden" for t in tests)
    return (f"({len(tests)} test{'s' if len(tests) != 1 else ''}, {points:g} points"
            + (f", {hidden} of them hidden)" if hidden else ")"))
