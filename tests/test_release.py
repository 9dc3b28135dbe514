"""Release artefacts work on their own: the autograder in a tree laid out like /autograder, the
student bundle without this repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.grading.pipeline import SEED_SECRET
from autograder.grading.results import check_schema
from autograder.release.build import release


@pytest.fixture(scope="module")
def released(backprop, tmp_path_factory) -> tuple[Path, Path]:
    return tuple(release(backprop, tmp_path_factory.mktemp("dist")))


def test_release_is_reproducible_but_for_its_secret(backprop, released, tmp_path):
    """The same files byte for byte, except the seed secret each release draws anew."""
    again = release(backprop, tmp_path)
    assert again[0].read_bytes() == released[0].read_bytes()
    first, second = (zipfile.ZipFile(paths[1]) for paths in (released, again))
    secret = f"assignments/backprop/tests/hidden/{SEED_SECRET}"
    assert first.namelist() == second.namelist() and secret in first.namelist()
    assert all(first.read(n) == second.read(n) for n in first.namelist() if n != secret)
    assert first.read(secret) != second.read(secret)


def test_student_bundle_has_no_secrets(released):
    names = zipfile.ZipFile(released[0]).namelist()
    assert "backprop/backprop.py" in names and "backprop/instructions.md" in names
    assert not [n for n in names if "tests/hidden/" in n or "/mutants/" in n or "reference_solutions" in n]
    template = zipfile.ZipFile(released[0]).read("backprop/backprop.py").decode()
    assert "NotImplementedError" in template and "BEGIN SOLUTION" not in template


def test_autograder_layout_and_contents(released):
    names = set(zipfile.ZipFile(released[1]).namelist())
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    assert any(n.startswith("assignments/backprop/tests/hidden/") for n in names)
    assert not [n for n in names if "/mutants/" in n or "reference_solutions" in n]


def _run_autograder(package: Path, root: Path, submission: Path) -> dict:
    (root / "submission").mkdir(parents=True)
    zipfile.ZipFile(package).extractall(root / "source")
    (root / "submission" / submission.name).write_bytes(submission.read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHON"))}
    env |= {"AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, cwd="/",
                   capture_output=True, timeout=300)
    results = json.loads((root / "results" / "results.json").read_text())
    check_schema(results)
    return results


def test_run_autograder_grades_reference(backprop, released, tmp_path):
    results = _run_autograder(released[1], tmp_path / "autograder", backprop.reference)
    assert results["score"] == 100


def test_run_autograder_writes_results_for_garbage(released, tmp_path):
    bad = tmp_path / "backprop.py"
    bad.write_text("this is not python(")
    results = _run_autograder(released[1], tmp_path / "autograder", bad)
    assert results["score"] == 0 and "SyntaxError" in results["tests"][0]["output"]


def test_student_bundle_checks_without_the_repository(backprop, released, tmp_path):
    zipfile.ZipFile(released[0]).extractall(tmp_path)
    folder = tmp_path / "backprop"
    (folder / "backprop.py").write_text(backprop.reference.read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHON"))}
    env |= {"PYTHON": sys.executable, "COLUMNS": "200"}
    out = subprocess.run(["sh", "./dlgrade", "check", "backprop"], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "total 40 / 40" in out.stdout
    # the bundled harness, not this repository's, did the work
    assert str(Path(__file__).resolve().parents[1]) not in out.stdout
