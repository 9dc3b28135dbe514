"""A Gradescope machine, simulated: the autograder package unpacked into an /autograder tree under
a temporary root (run_autograder reads AUTOGRADER_ROOT), the submission in the shapes students hand
in, run_autograder run as root with the sandbox's dedicated user, as Gradescope runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.grading.results import check_schema
from autograder.release.gradescope import autograder_package

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs run_autograder as root; "
                                "this simulation needs root to grade as the dedicated user")


@pytest.fixture(scope="module")
def package(backprop, tmp_path_factory) -> Path:
    return autograder_package(backprop, tmp_path_factory.mktemp("dist"))


def _grade(package: Path, root: Path, hand_in, **env: str) -> dict:
    """Lay out ``root`` as /autograder, let ``hand_in(submission_folder)`` fill the submission, run
    run_autograder; results.json, checked against Gradescope's schema."""
    (root / "submission").mkdir(parents=True)
    zipfile.ZipFile(package).extractall(root / "source")
    hand_in(root / "submission")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHON"))}
    clean |= {"AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable} | env
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=clean, cwd="/",
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr  # Gradescope reads results.json, never the status
    results = json.loads((root / "results" / "results.json").read_text())
    check_schema(results)
    return results


def _text(text: str):
    return lambda folder: (folder / "backprop.py").write_text(text)


def _file(source: Path):
    return _text(source.read_text())


def _zipped(source: Path, extracted: bool):
    """A zip made on a Mac; Gradescope extracts an uploaded zip into the submission folder."""
    def hand_in(folder: Path) -> None:
        archive = folder / "lab1.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(source, "lab1/backprop.py")
            zf.writestr("__MACOSX/lab1/._backprop.py", b"\x00\x05\x16\x07 AppleDouble")
        if extracted:
            zipfile.ZipFile(archive).extractall(folder)
            archive.unlink()
    return hand_in


def _nested(source: Path):
    def hand_in(folder: Path) -> None:
        (folder / "lab1" / "code").mkdir(parents=True)
        (folder / "lab1" / "code" / "backprop.py").write_text(source.read_text())
    return hand_in


SHAPES = {
    "top-level file": _file,
    "uploaded zip": lambda source: _zipped(source, extracted=True),
    "nested folder": _nested,
    "zip left as a file": lambda source: _zipped(source, extracted=False),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_reference_scores_full_marks_under_the_strict_sandbox(backprop, package, tmp_path, shape):
    results = _grade(package, tmp_path / "autograder", shape(backprop.reference))
    assert results["score"] == 100
    assert any(t.get("visibility") == "after_published" for t in results["tests"])  # hidden tests ran
    sandbox = results["extra_data"]["sandbox"]
    assert sandbox["mode"] == "strict" and sandbox["isolation"] == "strong"
    assert "uid:dlgrade-worker" in sandbox["layers"] and "bubblewrap" in sandbox["layers"]


def test_garbage_scores_zero_with_the_syntax_error(package, tmp_path):
    results = _grade(package, tmp_path / "autograder", _text("not python("))
    assert results["score"] == 0 and "SyntaxError" in results["tests"][0]["output"]


def test_an_empty_submission_scores_zero_and_says_why(package, tmp_path):
    results = _grade(package, tmp_path / "autograder", lambda folder: None)
    assert results["score"] == 0 and "backprop.py" in json.dumps(results)


def test_strict_refuses_without_strong_isolation_and_auto_grades(backprop, package, tmp_path):
    no_bwrap = {"DLGRADE_SANDBOX_DISABLE": "bwrap"}
    refused = _grade(package, tmp_path / "strict", _file(backprop.reference), **no_bwrap)
    assert refused["score"] == 0 and "--sandbox strict" in refused["output"]
    graded = _grade(package, tmp_path / "auto", _file(backprop.reference), DLGRADE_SANDBOX="auto", **no_bwrap)
    assert graded["score"] == 100 and graded["extra_data"]["sandbox"]["mode"] == "auto"
    assert "bubblewrap" in graded["extra_data"]["sandbox"]["missing"]
