"""The otter-grader export: same tests, points and visibility, and the same totals under `otter run`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.authoring.mutants import mutant_source
from autograder.grading.pipeline import GradingOptions, collect, grade
from autograder.release.otter_export import otter_package, question_name
from tests.conftest import require


def _otter_cli() -> str:
    """The `otter` command that comes with the otter extra in this interpreter's environment."""
    require("otter", "otter")
    return shutil.which("otter", path=str(Path(sys.executable).parent)) or "otter"


@pytest.fixture(scope="module")
def package(backprop, tmp_path_factory) -> Path:
    return otter_package(backprop, tmp_path_factory.mktemp("dist"))


def test_export_keeps_points_and_visibility(backprop, package, tmp_path):
    require("otter", "otter")
    from otter.test_files import ExceptionTestFile

    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path)
    assert {"otter_config.json", "requirements.txt", "setup.sh", "run_autograder", "run_otter.py"} <= set(names)
    assert not [n for n in names if "/mutants/" in n or "reference_solutions" in n]
    cases = {}
    for path in sorted((tmp_path / "tests").glob("*.py")):
        parsed = ExceptionTestFile.from_file(str(path))  # read as Otter reads it
        for case in parsed.test_cases:
            cases[case.name] = (parsed.name, case.points, case.hidden)
    expected = {f"{t.function}: {t.title}" if t.function else t.title:
                (question_name(t.function), t.max_score, t.visibility == "hidden")
                for t in collect(backprop, GradingOptions(hidden=True))}
    assert cases == expected and sum(points for _, points, _ in cases.values()) == backprop.points


def _otter_scores(results: Path) -> dict[str, float]:
    data = json.loads(results.read_text())
    return {t["name"]: t["score"] for t in data["tests"] if "max_score" in t}


def test_otter_run_gives_dlgrade_totals(backprop, package, tmp_path):
    otter_cli = _otter_cli()
    mutant = mutant_source(backprop, backprop.mutants / "softmax_grad_not_averaged.py")
    sources = {"reference": backprop.reference.read_text(), "template": backprop.template.read_text(),
               "mutant": mutant}
    runs = {}
    for which, source in sources.items():
        folder = tmp_path / which
        folder.mkdir()
        (folder / backprop.student_file).write_text(source)
        runs[which] = subprocess.Popen(
            [otter_cli, "run", "-a", str(package), "-o", str(folder), "--no-logo", str(folder / backprop.student_file)],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dlgrade = {which: grade(backprop, tmp_path / which / backprop.student_file) for which in sources}
    for which, proc in runs.items():
        _out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err[-3000:]
        by_question: dict[str, float] = {}
        for t in dlgrade[which].tests:
            name = question_name(t.function)
            by_question[name] = by_question.get(name, 0) + t.score
        scores = _otter_scores(tmp_path / which / "results.json")
        assert scores == pytest.approx(by_question), which
        assert sum(scores.values()) == pytest.approx(dlgrade[which].score), which
    assert dlgrade["reference"].score == backprop.points and dlgrade["template"].score == 0
    assert 0 < dlgrade["mutant"].score < backprop.points
