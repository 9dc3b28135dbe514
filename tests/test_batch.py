"""Batch grading: parallel, resumable after being killed or interrupted, regrading resubmissions,
unstoppable by broken submissions, the same on Dask."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.authoring.mutants import mutant_source
from autograder.batch import BatchError, BatchSummary, run_batch
from autograder.batch import local as batch_local
from autograder.batch.jobs import RETRY_KEY, discover, submission_digest
from autograder.grading.results import check_schema
from autograder.reports.gradebook import gradebook_columns, write_gradebook
from tests.conftest import public_points, require

FULL = {"alice", "frank", "gina"}
ZERO = {"bob", "dave", "erin", "hank"}


def _notebook(source: str) -> str:
    import nbformat

    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]))


@pytest.fixture(scope="module")
def submissions(backprop, tmp_path_factory) -> Path:
    """Eight students: right, empty, buggy, broken in four ways, as a .py, a folder, a zip and a notebook."""
    folder = tmp_path_factory.mktemp("submissions")
    reference = backprop.reference.read_text()
    mutant = mutant_source(backprop, backprop.mutants / "softmax_grad_not_averaged.py")
    (folder / "alice.py").write_text(reference)
    (folder / "bob.py").write_text(backprop.template.read_text())
    (folder / "carol.py").write_text(mutant)
    (folder / "dave.py").write_text(reference + "\ndef broken(:\n")
    (folder / "erin.zip").write_bytes(b"PK\x03\x04 this is no zip")
    (folder / "frank").mkdir()
    (folder / "frank" / "backprop.py").write_text(reference)
    (folder / "gina.ipynb").write_text(_notebook(reference))
    (folder / "hank.py").write_text("import os\nos._exit(0)\n")  # kills its worker at import
    return folder


def graded_batch(lab, submissions: Path, out: Path, *, hidden: bool, **kwargs) -> BatchSummary:
    """``run_batch`` and then the gradebook, as ``dlgrade batch`` does."""
    summary = run_batch(lab, submissions, out, hidden=hidden, **kwargs)
    write_gradebook(out, summary.roster, gradebook_columns(lab, hidden))
    return summary


def _gradebook(out: Path) -> list[dict]:
    """The students' rows of gradebook.csv (without the max-points row)."""
    with (out / "gradebook.csv").open() as fh:
        return [row for row in csv.DictReader(fh) if row["student"] != "(max points)"]


def _results(out: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(out.glob("*/results.json")):
        data = json.loads(path.read_text())
        data.pop("execution_time")  # the only field that differs between two runs
        found[path.parent.name] = data
    return found


@pytest.fixture(scope="module")
def uninterrupted(backprop, submissions, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    summary = graded_batch(backprop, submissions, out, jobs=2, hidden=False, progress=False)
    assert summary.graded == summary.students == 8 and not summary.breakdowns
    return out


def test_batch_grades_everyone(uninterrupted):
    rows = {row["student"]: row for row in _gradebook(uninterrupted)}
    assert set(rows) == FULL | ZERO | {"carol"}
    header = list(_gradebook(uninterrupted)[0])
    assert header[:5] == ["student", "id", "name", "status", "total"] and len(header) > 13  # one column per test
    tests = header[5:]
    for student in FULL:
        assert float(rows[student]["total"]) == public_points()
    for student in ZERO:
        assert float(rows[student]["total"]) == 0
    assert 0 < float(rows["carol"]["total"]) < public_points()
    for student, data in _results(uninterrupted).items():
        check_schema(data | {"execution_time": 0})
        assert float(rows[student]["total"]) == data["score"]
        assert sum(float(rows[student][test]) for test in tests) == data["score"]
    assert {s: rows[s]["status"] for s in ZERO} == {
        "bob": "graded", "dave": "did not import", "erin": "did not import", "hank": "did not import"}
    assert "not valid" not in json.dumps(_results(uninterrupted)["gina"])


def test_resumed_batch_skips_what_is_finished(backprop, submissions, uninterrupted):
    before = {p: p.stat().st_mtime_ns for p in uninterrupted.glob("*/results.json")}
    summary = graded_batch(backprop, submissions, uninterrupted, jobs=2, hidden=False, progress=False)
    assert (summary.skipped, summary.graded) == (8, 0)
    assert before == {p: p.stat().st_mtime_ns for p in uninterrupted.glob("*/results.json")}


def test_batch_killed_twice_then_resumed_loses_nothing(submissions, uninterrupted, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "batch", "backprop", str(submissions), "--out", str(out),
               "--jobs", "2", "--public"]
    for more in (1, 2):
        target = len(list(out.glob("*/results.json"))) + more
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 240
        while len(list(out.glob("*/results.json"))) < target and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up: the atomic writes must suffice
        proc.wait()
    done = len(list(out.glob("*/results.json")))
    assert 3 <= done < 8, "the batch should have been stopped in the middle"
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    assert _gradebook(out) == _gradebook(uninterrupted)
    assert _results(out) == _results(uninterrupted)


def test_ctrl_c_stops_cleans_up_and_resumes(submissions, uninterrupted, tmp_path):
    """SIGINT to `dlgrade batch`: its graders stop and remove what they staged, it says how far it
    got and exits 130; the same command then finishes the same gradebook."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "autograder", "batch", "backprop", str(submissions), "--out", str(out),
               "--jobs", "2", "--public"]
    env = os.environ | {"TMPDIR": str(tmp)}  # where the gradings stage the students' code
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    # Interrupt in the middle, while gradings are staged (a copy of a student's code is in TMPDIR).
    while not (len(list(out.glob("*/results.json"))) >= 2 and list(tmp.glob("dlgrade-run-*"))):
        assert time.monotonic() < deadline and proc.poll() is None, "the batch should still be grading"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, _stderr = proc.communicate(timeout=60)
    done = len(list(out.glob("*/results.json")))
    assert proc.returncode == 130
    assert f"{done} of 8 graded; run the same command to resume" in stdout
    assert 2 <= done < 8, "the batch should have been stopped in the middle"
    assert list(tmp.iterdir()) == [], "the interrupted gradings must remove their folders"
    subprocess.run(command, check=True, capture_output=True, timeout=600, env=env)
    assert _gradebook(out) == _gradebook(uninterrupted)
    assert _results(out) == _results(uninterrupted)


def test_a_resubmission_is_graded_again(backprop, tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "alice.py").write_text(backprop.reference.read_text())
    (folder / "bob.py").write_text(backprop.template.read_text())
    out = tmp_path / "out"

    def batch(**kwargs) -> BatchSummary:
        return graded_batch(backprop, folder, out, hidden=False, progress=False, **kwargs)

    assert batch().graded == 2
    unchanged = batch()
    assert (unchanged.graded, unchanged.resubmitted) == (0, [])
    (folder / "bob.py").write_text(backprop.reference.read_text())  # bob hands in again
    again = batch()
    assert (again.graded, again.resubmitted) == (1, ["bob"])
    assert {row["student"]: float(row["total"]) for row in _gradebook(out)} == {
        "alice": public_points(), "bob": public_points()}
    before = (out / "bob" / "results.json").stat().st_mtime_ns
    redo = batch(redo=["alice"])
    assert (redo.graded, redo.resubmitted) == (1, [])
    assert (out / "bob" / "results.json").stat().st_mtime_ns == before
    assert batch(force=True).graded == 2
    with pytest.raises(BatchError, match="no submission named carol"):
        batch(redo=["carol"])


def test_a_submission_digest_is_its_content(tmp_path):
    work = tmp_path / "alice"
    (work / "sub").mkdir(parents=True)
    (work / "backprop.py").write_text("x = 1\n")
    (work / "sub" / "notes.txt").write_text("notes")
    digest = submission_digest(work)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    copy = tmp_path / "copy"
    shutil.copytree(work, copy)  # new times, same files
    assert submission_digest(copy) == digest
    (copy / "sub" / "notes.txt").write_text("notes!")
    assert submission_digest(copy) != digest
    shutil.rmtree(copy)
    shutil.copytree(work, copy)
    (copy / "sub" / "notes.txt").rename(copy / "notes.txt")  # same bytes, another place
    assert submission_digest(copy) != digest
    # A link is hashed as a link: what it points to outside the submission does not count.
    outside = tmp_path / "outside.txt"
    outside.write_text("a")
    (work / "link").symlink_to(outside)
    linked = submission_digest(work)
    outside.write_text("b")
    assert submission_digest(work) == linked != digest
    # A zip is its members, not its bytes: zipped again later, the same files are the same work.
    (work / "link").unlink()
    zips = []
    for n, stamp in enumerate([(2024, 1, 1, 0, 0, 0), (2025, 6, 1, 12, 0, 0)]):
        zips.append(tmp_path / f"alice{n}.zip")
        with zipfile.ZipFile(zips[-1], "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("backprop.py", stamp), "x = 1\n")
    assert zips[0].read_bytes() != zips[1].read_bytes()
    assert submission_digest(zips[0]) == submission_digest(zips[1]) != submission_digest(work / "backprop.py")
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("x = 2\n")
    assert submission_digest(tmp_path / "a.py") != submission_digest(tmp_path / "b.py")


def test_dead_or_stuck_grader_does_not_stop_the_batch(backprop, submissions, tmp_path, monkeypatch):
    faulty = tmp_path / "faulty_runner.py"
    faulty.write_text(
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from autograder.batch import runner\n"
        "from autograder.grading import pipeline\n"
        "real = pipeline.grade_results\n"
        "def grade_results(lab, submission, options):\n"
        "    if Path(submission).stem == 'bob':\n"
        "        os._exit(1)\n"
        "    if Path(submission).stem == 'carol':\n"
        "        time.sleep(3600)\n"
        "    return real(lab, submission, options)\n"
        "pipeline.grade_results = grade_results\n"
        "sys.exit(runner.main(sys.argv[1:]))\n")
    monkeypatch.setattr(batch_local, "runner_argv", lambda lab, hidden, sandbox: [
        sys.executable, str(faulty), lab.name, "all" if hidden else "public", sandbox])
    monkeypatch.setattr(batch_local, "hard_limit", lambda lab: 15.0)
    out = tmp_path / "out"
    summary = graded_batch(backprop, submissions, out, jobs=2, hidden=False, progress=False)
    assert sorted(summary.breakdowns) == ["bob", "carol"] and summary.graded == 8
    for student in ("bob", "carol"):
        data = json.loads((out / student / "results.json").read_text())
        assert data["score"] == 0 and RETRY_KEY in data["extra_data"]
    rows = {row["student"]: row for row in _gradebook(out)}
    assert float(rows["alice"]["total"]) == public_points()
    # A breakdown is no grade: blank, "not graded", where a zero would read as the student's.
    assert [(rows[s]["status"], rows[s]["total"]) for s in ("bob", "carol")] == [("not graded", "")] * 2
    monkeypatch.undo()
    again = graded_batch(backprop, submissions, out, jobs=2, hidden=False, progress=False)
    assert (again.graded, again.skipped, again.breakdowns) == (2, 6, [])  # only the breakdowns are retried


def test_dask_cluster_gives_the_same_results(backprop, submissions, uninterrupted, tmp_path):
    distributed = require("distributed", "dev")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = graded_batch(backprop, submissions, tmp_path, scheduler=cluster.scheduler_address,
                            hidden=False, progress=False)
    assert summary.graded == 8 and not summary.breakdowns
    assert _gradebook(tmp_path) == _gradebook(uninterrupted)
    assert _results(tmp_path) == _results(uninterrupted)


def test_an_output_folder_holds_one_kind_of_batch(backprop, submissions, uninterrupted):
    with pytest.raises(BatchError, match="public tests"):
        graded_batch(backprop, submissions, uninterrupted, hidden=True, progress=False)


def test_student_ids_come_from_the_names(tmp_path):
    for name in ("alice.py", "alice.zip", "bob.ipynb", ".DS_Store"):
        (tmp_path / name).write_text("")
    (tmp_path / "carol").mkdir()
    assert [s.student for s in discover(tmp_path)] == ["alice.py", "alice.zip", "bob", "carol"]
