"""Gradebooks from a batch's results: statuses, short column names, a roster, Canvas's and Gradescope's CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from autograder.batch.jobs import Submission, breakdown_results, store
from autograder.failures import Kind
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, collect
from autograder.grading.results import to_results
from autograder.reports.gradebook import RosterError, gradebook_columns, read_roster, write_gradebook
from tests.conftest import public_points

ROSTER = """\ufeffstudent,id,name,email,section,sis_id,sis_login,canvas_id,notes
alice,1001,"Liddell, Alice",alice@example.edu,S1,SIS-A,alice1,501,ignored
bob,1002,"Builder, Bob",bob@example.edu,S1,SIS-B,bob1,502,
carol,1003,"Danvers, Carol",carol@example.edu,S2,SIS-C,carol1,503,
dave,1004,"Grohl, Dave",dave@example.edu,S2,SIS-D,dave1,504,
"""


def _full() -> str:
    return f"{public_points():g}"


def _erin(lab) -> str:
    """What erin's two right tests are worth (the first two public tests)."""
    return f"{sum(t.max_score for t in collect(lab, GradingOptions(hidden=False))[:2]):g}"


def _results(lab, passed: int | None, kind: Kind = Kind.MISMATCH) -> dict:
    """results.json data in which the first ``passed`` tests pass (None: all), the others fail with ``kind``."""
    tests = collect(lab, GradingOptions(hidden=False))
    for n, t in enumerate(tests):
        t.passed = passed is None or n < passed
        t.kind = None if t.passed else kind
    return to_results(GradeReport(lab=lab.name, submission="x.py", tests=tests))


@pytest.fixture(scope="module")
def batch(backprop, tmp_path_factory) -> Path:
    """alice full marks, bob a syntax error, carol nothing handed in, dave broke the grader, erin
    (not on the roster) two tests right."""
    out = tmp_path_factory.mktemp("batch")
    store(out, Submission("alice", out), _results(backprop, None))
    store(out, Submission("bob", out), _results(backprop, 0, Kind.IMPORT))
    store(out, Submission("dave", out), breakdown_results("the grading process exited unexpectedly"))
    store(out, Submission("erin", out), _results(backprop, 2))
    (out / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return out


def _write(backprop, out: Path, **kwargs) -> list[Path]:
    return write_gradebook(out, ["alice", "bob", "dave", "erin"], gradebook_columns(backprop, False),
                           roster=read_roster(out / "roster.csv"), title="Backprop", **kwargs)


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def test_one_row_per_student_with_id_status_and_max_points(backprop, batch):
    gradebook, legend = _write(backprop, batch)
    header, maxima, *rows = _rows(gradebook)
    assert header[:5] == ["student", "id", "name", "status", "total"]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert {s: (r["id"], r["status"], r["total"]) for s, r in table.items()} == {
        "alice": ("1001", "graded", _full()),
        "bob": ("1002", "did not import", "0"),
        "carol": ("1003", "not submitted", ""),
        "dave": ("1004", "not graded", ""),  # a breakdown is retried, not a zero
        "erin": ("erin", "graded", _erin(backprop)),  # not on the roster: the submission's name is the id
    }
    assert table["alice"]["name"] == "Liddell, Alice"
    points = dict(zip(header, maxima, strict=True))
    assert points["student"] == "(max points)" and points["total"] == _full()
    assert sum(float(points[c]) for c in header[5:]) == public_points()
    assert table["alice"] | {"student": "", "id": "", "name": "", "status": ""} == points | {"student": ""}
    assert table["carol"]["affine_forward#1"] == "" and table["bob"]["affine_forward#1"] == "0"

    # Short names: function#n, numbered within each function, each explained by the legend.
    assert all(re.fullmatch(r"[\w.]+#\d+", c) for c in header[5:])
    assert header[5:8] == ["affine_forward#1", "affine_forward#2", "affine_backward#1"]
    legend_header, *entries = _rows(legend)
    assert legend_header == ["column", "function", "visibility", "test"]
    assert [e[0] for e in entries] == header[5:]
    titles = {t["name"] for t in _results(backprop, None)["tests"]}
    assert {e[3] for e in entries} == titles and all(e[3].startswith(e[1] + ": ") for e in entries)
    assert _write(backprop, batch)[0].read_text() == gradebook.read_text()  # stable from run to run


def test_canvas_csv_has_canvas_import_columns(backprop, batch):
    *_, canvas = _write(backprop, batch, format="canvas")
    assert canvas.name == "gradebook_canvas.csv"
    header, points, *rows = _rows(canvas)
    # The columns of Canvas's gradebook import (see the comment at CANVAS_HEADER for the sources).
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Backprop"]
    assert points[0] == "Points Possible" and points[5] == _full()
    assert rows == [
        ["Liddell, Alice", "501", "SIS-A", "alice1", "S1", _full()],
        ["Builder, Bob", "502", "SIS-B", "bob1", "S1", "0"],
        ["Danvers, Carol", "503", "SIS-C", "carol1", "S2", ""],
        ["Grohl, Dave", "504", "SIS-D", "dave1", "S2", ""],
        ["erin", "", "erin", "", "", _erin(backprop)],
    ]


def test_gradescope_csv_has_one_column_per_question(backprop, batch):
    *_, gradescope = _write(backprop, batch, format="gradescope")
    assert gradescope.name == "gradebook_gradescope.csv"
    header, *rows = _rows(gradescope)
    # Gradescope's grade export (see the comment at GRADESCOPE_HEADER for the source).
    assert header[:6] == ["Name", "SID", "Email", "Total Score", "Max Points", "Status"]
    questions = header[6:]
    functions = sorted({t.function for t in collect(backprop, GradingOptions(hidden=False))})
    assert [re.fullmatch(r"(\d+): ([\w.]+) \((\d+\.\d) pts\)", q).group(1) for q in questions] == [
        str(n) for n in range(1, len(functions) + 1)]
    assert sorted(re.fullmatch(r"\d+: ([\w.]+) .*", q).group(1) for q in questions) == functions
    assert sum(float(re.search(r"\(([\d.]+) pts\)", q).group(1)) for q in questions) == public_points()
    table = {row[0]: row for row in rows}
    assert table["Liddell, Alice"][:6] == ["Liddell, Alice", "1001", "alice@example.edu", _full(), _full(), "Graded"]
    assert sum(float(x) for x in table["Liddell, Alice"][6:]) == public_points()
    assert table["Danvers, Carol"][5:] == ["Missing"] + [""] * len(questions)
    assert table["Grohl, Dave"][5] == "Ungraded"
    assert f'{sum(float(x) for x in table["erin"][6:]):g}' == _erin(backprop)


def test_a_roster_needs_a_student_column_once_per_student(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("name,id\nAlice,1\n")
    with pytest.raises(RosterError, match="no 'student' column"):
        read_roster(bad)
    bad.write_text("Student,ID\nalice,1\nalice,2\n")
    with pytest.raises(RosterError, match="alice is listed twice"):
        read_roster(bad)
    bad.write_text("Student , ID\nalice,1\n\n,\n")  # header case and spaces, blank lines
    assert [(m.student, m.id) for m in read_roster(bad)] == [("alice", "1")]
