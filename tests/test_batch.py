"""Batch grading: parallel, resumable after being killed, unstoppable by broken submissions, the same on Dask."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.authoring.mutants import mutant_source
from autograder.batch import BatchError, BatchSummary, run_batch
from autograder.batch import local as batch_local
from autograder.batch.jobs import RETRY_KEY, discover
from autograder.grading.results import check_schema
from autograder.reports.gradebook import gradebook_columns, write_gradebook
from tests.conftest import require

PUBLIC_POINTS = 40
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
    with (out / "gradebook.csv").open() as fh:
        return list(csv.DictReader(fh))


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
    assert header[:2] == ["student", "total"] and len(header) > 10  # one column per test
    for student in FULL:
        assert float(rows[student]["total"]) == PUBLIC_POINTS
    for student in ZERO:
        assert float(rows[student]["total"]) == 0
    assert 0 < float(rows["carol"]["total"]) < PUBLIC_POINTS
    for student, data in _results(uninterrupted).items():
        check_schema(data | {"execution_time": 0})
        assert float(rows[student]["total"]) == data["score"]
        assert sum(float(rows[student][t["name"]]) for t in data["tests"]) == data["score"]
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
    assert {row["student"]: float(row["total"]) for row in _gradebook(out)}["alice"] == PUBLIC_POINTS
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
