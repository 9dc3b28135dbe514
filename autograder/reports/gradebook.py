"""A batch's gradebook, from its results.json files: dlgrade's own, Canvas's or Gradescope's CSV.

``gradebook.csv``: one row per student (``student, id, name, status, total``, then one column per
test), after a ``(max points)`` row. Test columns have short names that stay the same from one
batch to the next, the function and the test's number among that function's tests
(``affine_forward#1``); ``gradebook_columns.csv`` maps each to the test's full title.

The status tells apart what a zero cannot: ``not submitted`` (on the roster, no submission),
``did not import`` (every test failed because the submission could not be read or imported),
``not graded`` (no results yet, or grading broke down: the next batch run retries it) and
``graded``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from autograder.batch.jobs import RETRY_KEY, read_results
from autograder.failures import Kind
from autograder.files import write_atomic
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, collect
from autograder.grading.results import to_results
from autograder.labs import Lab

GRADEBOOK = "gradebook.csv"
LEGEND = "gradebook_columns.csv"
FORMAT_FILES = {"canvas": "gradebook_canvas.csv", "gradescope": "gradebook_gradescope.csv"}
MAX_ROW = "(max points)"

NOT_SUBMITTED, DID_NOT_IMPORT, NOT_GRADED, GRADED = "not submitted", "did not import", "not graded", "graded"


class RosterError(ValueError):
    """The roster file cannot be used."""


@dataclass(frozen=True)
class Column:
    key: str  # the short name: function#number
    name: str  # the test as results.json names it
    function: str
    visibility: str
    points: float


@dataclass(frozen=True)
class Member:
    """One roster line. ``student`` is the submission's name; the rest is optional."""

    student: str
    id: str = ""  # the student id: the gradebook's id column, Gradescope's SID
    name: str = ""
    email: str = ""
    section: str = ""
    sis_id: str = ""  # Canvas's "SIS User ID"
    sis_login: str = ""  # Canvas's "SIS Login ID"
    canvas_id: str = ""  # Canvas's own user id, its "ID" column


ROSTER_COLUMNS = tuple(f.name for f in fields(Member))


@dataclass
class Row:
    member: Member
    status: str
    total: float | None = None
    scores: dict[str, float] = field(default_factory=dict)  # by column key


def gradebook_columns(lab: Lab, hidden: bool) -> list[Column]:
    """The lab's tests in the order they run, each with its short, stable name."""
    report = GradeReport(lab=lab.name, submission="", tests=collect(lab, GradingOptions(hidden=hidden)))
    results = to_results(report)["tests"]
    numbers: dict[str, int] = {}
    columns = []
    for name, test in zip(_unique([t["name"] for t in results]), report.tests, strict=True):
        function = test.function or "other"
        numbers[function] = numbers.get(function, 0) + 1
        columns.append(Column(f"{function}#{numbers[function]}", name, function, test.visibility, test.max_score))
    return columns


def read_roster(path: Path) -> list[Member]:
    """A roster CSV: a header row naming some of ``ROSTER_COLUMNS`` (``student`` required), one
    line per student; other columns are ignored. Excel's byte-order mark is fine."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = {(h or "").strip().lower(): h for h in reader.fieldnames or ()}
            if "student" not in header:
                raise RosterError(f"{path}: no 'student' column (the submission's name); "
                                  f"columns it may have: {', '.join(ROSTER_COLUMNS)}")
            members = [Member(**{c: (line.get(header[c]) or "").strip() for c in ROSTER_COLUMNS if c in header})
                       for line in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: {exc}") from None
    members = [m for m in members if m.student]
    seen: set[str] = set()
    for member in members:
        if member.student in seen:
            raise RosterError(f"{path}: {member.student} is listed twice")
        seen.add(member.student)
    return members


def gradebook_rows(out: Path, students: Iterable[str], columns: list[Column],
                   roster: list[Member] | None = None) -> list[Row]:
    """One row per student of the batch and of the roster, sorted by submission name."""
    members = {m.student: m for m in roster or ()}
    submitted = set(students)
    keys = {c.name: c.key for c in columns}
    rows = []
    for student in sorted(submitted | set(members)):
        member = members.get(student) or Member(student, id=student)
        if student not in submitted:
            rows.append(Row(member, NOT_SUBMITTED))
            continue
        data = read_results(out, student)
        if data is None or RETRY_KEY in (data.get("extra_data") or {}):
            rows.append(Row(member, NOT_GRADED))
            continue
        tests = data.get("tests", [])
        names = _unique([t.get("name", "") for t in tests])
        scores = {keys.get(name, name): float(t.get("score", 0)) for name, t in zip(names, tests, strict=True)}
        rows.append(Row(member, _status(tests), float(data.get("score", 0)), scores))
    return rows


def _status(tests: list[dict[str, Any]]) -> str:
    kinds = [{Kind.named(tag) for tag in t.get("tags", [])} - {None} for t in tests]
    return DID_NOT_IMPORT if tests and all(Kind.IMPORT in k for k in kinds) else GRADED


def write_gradebook(out: Path, students: Iterable[str], columns: list[Column], *,
                    roster: list[Member] | None = None, title: str = "", format: str = "dlgrade") -> list[Path]:
    """``out/gradebook.csv`` and its legend, and the file of ``format`` (canvas, gradescope) if asked."""
    out = Path(out)
    rows = gradebook_rows(out, students, columns, roster)
    extra = sorted({key for row in rows for key in row.scores} - {c.key for c in columns})
    # Tests that the lab no longer has (its tests changed during the batch) keep their full names.
    columns = columns + [Column(key, key, key.split(":")[0], "", 0.0) for key in extra]
    written = [_write_csv(out / GRADEBOOK, _own(rows, columns)), _write_csv(out / LEGEND, _legend(columns))]
    if format == "canvas":
        written.append(_write_csv(out / FORMAT_FILES[format], _canvas(rows, columns, title)))
    elif format == "gradescope":
        written.append(_write_csv(out / FORMAT_FILES[format], _gradescope(rows, columns)))
    return written


def _own(rows: list[Row], columns: list[Column]) -> list[list[str]]:
    lines = [["student", "id", "name", "status", "total", *(c.key for c in columns)],
             [MAX_ROW, "", "", "", _number(sum(c.points for c in columns)), *(_number(c.points) for c in columns)]]
    for row in rows:
        m = row.member
        lines.append([m.student, m.id, m.name, row.status, _number(row.total),
                      *(_number(row.scores.get(c.key)) for c in columns)])
    return lines


def _legend(columns: list[Column]) -> list[list[str]]:
    return [["column", "function", "visibility", "test"], *([c.key, c.function, c.visibility, c.name] for c in columns)]


# Canvas's gradebook import: the columns Student, ID, SIS User ID, SIS Login ID, Section, then one
# per assignment, and an optional "Points Possible" row, as a Canvas gradebook export has them
# (Instructure's guide "How do I import grades in the Gradebook?"; restated in Ohio State's
# teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades
# and in nemogb-dev.github.io/nemogb-r/articles/detailed-canvas-export-info.html). Canvas matches a
# row by ID, SIS User ID or name; an assignment column it does not know becomes a new assignment.
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def _canvas(rows: list[Row], columns: list[Column], title: str) -> list[list[str]]:
    lines = [[*CANVAS_HEADER, title],
             ["Points Possible", "", "", "", "", _number(sum(c.points for c in columns))]]
    for row in rows:
        m = row.member
        # Blank, not 0, for no submission: Canvas then applies the course's missing-work policy.
        lines.append([m.name or m.student, m.canvas_id, m.sis_id or m.id, m.sis_login, m.section,
                      _number(row.total)])
    return lines


# Gradescope's per-assignment grade CSV ("Download Grades"): Name, SID, Email, Total Score, Max
# Points, Status, then one column per question named "N: title (P pts)"; Status is Graded, Missing
# or Ungraded. Gradescope documents this export only by example in its help center; the header
# here is the one course tools that read these exports reproduce in their fixtures ("Name,SID,
# Email,Total Score,Max Points,Status,Submission ID,...,1: Honor Pledge (0.0 pts),2: F1 (1.0 pts)"),
# without the submission bookkeeping columns. Each graded function is a question.
GRADESCOPE_HEADER = ("Name", "SID", "Email", "Total Score", "Max Points", "Status")
_GRADESCOPE_STATUS = {GRADED: "Graded", DID_NOT_IMPORT: "Graded", NOT_SUBMITTED: "Missing", NOT_GRADED: "Ungraded"}


def _gradescope(rows: list[Row], columns: list[Column]) -> list[list[str]]:
    questions: dict[str, list[Column]] = {}
    for c in columns:
        questions.setdefault(c.function, []).append(c)
    total = sum(c.points for c in columns)
    lines = [[*GRADESCOPE_HEADER, *(f"{n}: {function} ({sum(c.points for c in cs):.1f} pts)"
                                    for n, (function, cs) in enumerate(questions.items(), start=1))]]
    for row in rows:
        m = row.member
        scores = [_number(sum(row.scores.get(c.key, 0.0) for c in cs) if row.scores else None)
                  for cs in questions.values()]
        lines.append([m.name or m.student, m.id, m.email, _number(row.total), _number(total),
                      _GRADESCOPE_STATUS[row.status], *scores])
    return lines


def _write_csv(path: Path, lines: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return write_atomic(path, buffer.getvalue())


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _number(value: float | None) -> str:
    return "" if value is None else f"{float(value):g}"
