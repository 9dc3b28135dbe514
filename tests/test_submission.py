"""What is graded of a submission (one rule for every entry point), and that it is read as data, never followed."""

from __future__ import annotations

import os
import re
import stat
import threading
import time
import zipfile
from pathlib import Path

import pytest

from autograder.batch.cluster import grade_payload, pack
from autograder.batch.jobs import discover
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import NOT_GRADED, GradingOptions, grade
from autograder.grading.results import to_results
from autograder.grading.submission import SubmissionError, prepare_module
from autograder.labs import Lab
from tests.conftest import public_points

nbformat = pytest.importorskip("nbformat")

PUBLIC = GradingOptions(hidden=False)
LINK_REFUSED = "is a symbolic link (links are not followed"
NOT_REGULAR = "is not a regular file"
QUICK = 60  # seconds: what "at once" means on a loaded two-core machine; a hang is what is caught


def _notebook(*cells: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]))


def graded(lab: Lab, path: Path) -> GradeReport:
    """The public tests on ``path``, failing (not hanging) when grading does not end within ``QUICK``."""
    box: dict[str, GradeReport] = {}
    worker = threading.Thread(target=lambda: box.setdefault("report", grade(lab, path, PUBLIC)), daemon=True)
    worker.start()
    worker.join(QUICK)
    assert not worker.is_alive(), f"grading {path.name} did not end within {QUICK} s"
    return box["report"]


def refused(report: GradeReport, why: str) -> None:
    """Nothing graded, said once in the notes, with ``why``; every test points there."""
    assert report.score == 0 and report.tests
    assert len(report.notes) == 1 and why in report.notes[0], report.notes
    assert all(t.message == NOT_GRADED for t in report.tests)
    assert to_results(report)["output"].count(why) == 1


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "submission"  # as Gradescope hands it over
    path.mkdir()
    return path


# -- A: one rule for what is graded --------------------------------------------------------------
@pytest.mark.parametrize("name", ["my_backprop_final_v2.py", "backprop.ipynb", "work.ipynb"])
def test_a_single_file_of_any_name_is_graded(backprop, folder, name):
    reference = backprop.reference.read_text()
    (folder / name).write_text(_notebook(reference) if name.endswith(".ipynb") else reference)
    (folder / "README.txt").write_text("my homework")
    report = graded(backprop, folder)
    assert report.score == public_points()
    assert report.notes == [f"graded {name}"]


def test_the_shallowest_lab_file_beats_an_archived_one(backprop, folder):
    (folder / "archive").mkdir()
    (folder / "archive" / "backprop.py").write_text(backprop.template.read_text())  # first alphabetically
    (folder / "backprop.py").write_text(backprop.reference.read_text())
    (folder / "scratch.py").write_text("x = 1")
    report = graded(backprop, folder)
    assert report.score == public_points()
    assert report.notes[0] == "graded backprop.py"
    assert "not graded: archive/backprop.py, scratch.py" in report.notes[1]


def test_the_lab_notebook_beats_other_names(backprop, folder):
    (folder / "backprop.ipynb").write_text(_notebook(backprop.reference.read_text()))
    (folder / "helpers.py").write_text("x = 1")
    report = graded(backprop, folder)
    assert report.score == public_points() and report.notes[0] == "graded backprop.ipynb"


def test_a_zip_inside_the_folder_is_opened(backprop, folder):
    with zipfile.ZipFile(folder / "hw.zip", "w") as zf:
        zf.writestr("work/solution.ipynb", _notebook(backprop.reference.read_text()))
        zf.writestr("__MACOSX/work/._solution.ipynb", "resource fork")
    report = graded(backprop, folder)
    assert report.score == public_points() and report.notes == ["graded hw.zip/work/solution.ipynb"]


def test_a_broken_notebook_in_a_folder_reads_as_when_handed_in_alone(backprop, folder, tmp_path):
    (folder / "work.ipynb").write_text('{"cells": [')
    alone = tmp_path / "work.ipynb"
    alone.write_text('{"cells": [')
    in_folder, direct = graded(backprop, folder), graded(backprop, alone)
    refused(in_folder, "work.ipynb is not valid JSON (line 1")
    assert in_folder.notes == direct.notes


@pytest.mark.parametrize(("files", "why"), [
    ({"README.txt": "hi"}, "nothing to grade: no backprop.py, no notebook and no other .py file"),
    ({"a.py": "x = 1", "b.ipynb": ""}, "no backprop.py, and 2 files that could be it (a.py, b.ipynb)"),
])
def test_nothing_gradable_is_said_once(backprop, folder, files, why):
    for name, text in files.items():
        (folder / name).write_text(text)
    refused(graded(backprop, folder), why)


def test_a_notebook_without_the_lab_functions_gets_one_message(backprop, folder):
    (folder / "work.ipynb").write_text(_notebook("import numpy as np", "def plot_losses(h):\n    return h"))
    report = graded(backprop, folder)
    refused(report, "work.ipynb defines none of affine_forward, affine_backward, ")
    assert "FullyConnectedNet: did you mean to hand in backprop.py?" in report.notes[0]


# -- B: read as data, never followed -------------------------------------------------------------
@pytest.mark.parametrize("target", ["reference", "/dev/zero"])
def test_a_link_is_not_followed(backprop, folder, target):
    os.symlink(backprop.reference if target == "reference" else target, folder / "backprop.py")
    refused(graded(backprop, folder), f"backprop.py {LINK_REFUSED}")
    refused(graded(backprop, folder / "backprop.py"), f"backprop.py {LINK_REFUSED}")


def test_a_link_beside_the_real_file_is_named_and_skipped(backprop, folder):
    (folder / "backprop.py").write_text(backprop.template.read_text())
    os.symlink(backprop.reference.parent, folder / "solutions")
    report = graded(backprop, folder)
    assert report.score == 0
    assert report.notes == ["graded backprop.py", f"not read: solutions {LINK_REFUSED}: hand in the file itself)"]


def test_a_fifo_does_not_block_grading(backprop, folder):
    os.mkfifo(folder / "backprop.py")
    refused(graded(backprop, folder), f"backprop.py {NOT_REGULAR}")
    refused(graded(backprop, folder / "backprop.py"), f"backprop.py {NOT_REGULAR}")


def _zip_with(path: Path, info: zipfile.ZipInfo, data: str | bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, data)
    return path


def test_a_zip_entry_that_is_a_link_is_refused(backprop, tmp_path):
    info = zipfile.ZipInfo("backprop.py")
    info.create_system, info.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    archive = _zip_with(tmp_path / "sub.zip", info, str(backprop.reference))
    refused(graded(backprop, archive), f"backprop.py {LINK_REFUSED}")


def test_a_zip_entry_outside_the_archive_is_refused(backprop, tmp_path):
    archive = _zip_with(tmp_path / "sub.zip", zipfile.ZipInfo("../backprop.py"), backprop.reference.read_text())
    refused(graded(backprop, archive), "../backprop.py is a path outside the archive")


def test_a_zip_bomb_is_refused_before_unpacking(backprop, tmp_path):
    archive = tmp_path / "sub.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("backprop.py", "w") as fh:
        chunk = b"#" * 2**20
        for _ in range(300):  # 300 MB that deflate to under 1 MB
            fh.write(chunk)
    assert archive.stat().st_size < 2**20
    started = time.monotonic()
    refused(graded(backprop, archive), "sub.zip would unpack to more than 256 MB")
    assert time.monotonic() - started < QUICK


def test_a_notebook_that_is_slow_to_read_is_stopped(backprop, tmp_path):
    # IPython retokenizes the whole cell after each magic: minutes for this cell, unbounded.
    path = tmp_path / "work.ipynb"
    path.write_text(_notebook("\n".join(["x?"] * 400 + ["x = 1"] * 20_000)))
    started = time.monotonic()
    with pytest.raises(SubmissionError, match="reading the code of work.ipynb took longer than 2 s"):
        prepare_module(path, backprop, tmp_path, seconds=2)
    assert time.monotonic() - started < 10


def test_a_batch_follows_no_link_to_another_students_work(backprop, tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "bob").mkdir(parents=True)
    (submissions / "bob" / "backprop.py").write_text(backprop.reference.read_text())
    (submissions / "alice").mkdir()
    os.symlink(submissions / "bob" / "backprop.py", submissions / "alice" / "backprop.py")
    os.symlink(submissions / "bob", submissions / "carol")
    found = {s.student: s.path for s in discover(submissions)}
    assert set(found) == {"alice", "bob", "carol"}
    refused(graded(backprop, found["carol"]), f"carol {LINK_REFUSED}")
    # Dask: the folder travels as a zip in which the link is a link, not bob's file
    name, payload = pack(found["alice"])
    assert backprop.reference.read_bytes() not in payload
    data = grade_payload(backprop.name, name, payload, hidden=False, sandbox="auto")
    assert data["score"] == 0 and f"backprop.py {LINK_REFUSED}" in data["output"]
    with pytest.raises(OSError, match=re.escape(LINK_REFUSED)):
        pack(found["carol"])
