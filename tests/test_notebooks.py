"""Student notebooks (generated from the instructions, executed top to bottom) and notebook submissions."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rich.console import Console

from autograder.grading.pipeline import GradingOptions, collect, grade
from autograder.grading.submission import SubmissionError, prepare_module
from autograder.labs import Lab, find_lab, list_labs
from autograder.notebooks import check, source_from_cells
from autograder.notebooks.demos import read_demos
from autograder.notebooks.generate import build_notebook, graded_groups, notebook_text
from tests.conftest import public_points, require

nbformat = require("nbformat", "notebooks")
nbclient = require("nbclient", "notebooks")

# Executing a torch lab's notebook takes minutes on two cores (a worker per check cell imports
# torch, and the demos train): by default only backprop's run, the others on request.
ALL_NOTEBOOKS = os.environ.get("DLGRADE_ALL_NOTEBOOKS") == "1"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
def _points_of(function: str) -> float:
    """What backprop's public tests of ``function`` are worth."""
    tests = collect(find_lab("backprop"), GradingOptions(hidden=False, functions=(function,)))
    return sum(t.max_score for t in tests)


_TOTAL = re.compile(r"total (\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)")


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return _ANSI.sub("", "".join(parts))


def _is_check(cell) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("check(")


# -- generation ---------------------------------------------------------------------------------

def test_notebook_follows_the_instructions(backprop):
    nb = build_notebook(backprop)
    nbformat.validate(nb)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    headings = [line for line in backprop.instructions.read_text().splitlines() if line.startswith("## ")]
    assert [line for line in markdown.splitlines() if line in headings] == headings  # every section, in order
    checks = [c.source for c in nb.cells if _is_check(c)]
    assert checks[-1] == "check('backprop')"  # the whole public suite closes the notebook
    named = [re.findall(r"'(\w+)'", c)[1:] for c in checks[:-1]]
    assert sorted(n for names in named for n in names) == sorted(graded_groups(backprop))
    # each check cell comes right after the passage that introduces its function
    for i, cell in enumerate(nb.cells):
        if _is_check(cell) and cell.source != "check('backprop')":
            for name in re.findall(r"'(\w+)'", cell.source)[1:]:
                assert f"`{name}" in nb.cells[i - 1].source
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "QUICK = False" in params[0].source
    assert notebook_text(backprop) == notebook_text(backprop)  # byte-identical releases


def test_demos_follow_the_check_cell_they_name(backprop, tmp_path):
    demo = read_demos(backprop.notebook_demos)
    sources = [c.source for c in build_notebook(backprop).cells]
    first = sources.index(demo[0].source)
    assert sources[first:first + len(demo)] == [c.source for c in demo]
    assert sources[first - 1].startswith("check(") and f"'{demo[0].after}'" in sources[first - 1]
    # a demo whose function has no public test of its own comes before the whole public suite
    shutil.copytree(backprop.directory, tmp_path / "backprop", ignore=shutil.ignore_patterns("mutants"))
    (tmp_path / "backprop" / "demo.py").write_text('# %% after="nothing_graded"\nprint("unplaced")\n')
    sources = [c.source for c in build_notebook(Lab.load(tmp_path / "backprop", backprop.root)).cells]
    assert sources[-3:-1] == ['print("unplaced")', "## All public tests\n\n"
                              "The whole public suite, as `./dlgrade check backprop` runs it."]


def test_student_bundle_carries_the_notebook(backprop, tmp_path):
    from autograder.release.build import release

    student_zip = release(backprop, tmp_path)[0]
    with zipfile.ZipFile(student_zip) as zf:
        nb = nbformat.reads(zf.read("backprop/backprop.ipynb").decode(), as_version=4)
        readme = zf.read("backprop/README.md").decode()
    nbformat.validate(nb)
    assert nb.metadata["dlgrade"]["lab"] == "backprop" and "backprop.ipynb" in readme


def test_check_runs_only_that_functions_public_tests(backprop):
    console = Console(record=True, width=140, force_terminal=False)
    check(backprop, "mse_loss", source=backprop.reference, console=console)
    text = console.export_text()
    mse = _points_of("mse_loss")
    assert f"total {mse:g} / {mse:g}" in text and "mse_loss" in text and "softmax_loss" not in text
    check(backprop, "mse_los", source=backprop.reference, console=console)
    assert "no public tests of mse_los" in console.export_text()


# -- execution ----------------------------------------------------------------------------------

def _bundle(lab_name: str, tmp_path: Path) -> Path:
    """The lab's student bundle, released by the command line in its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLGRADE")}
    subprocess.run([sys.executable, "-m", "autograder", "release", lab_name, "--out", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=600, env=env)
    zipfile.ZipFile(tmp_path / "dist" / lab_name / "student.zip").extractall(tmp_path)
    return tmp_path / lab_name


@pytest.mark.parametrize("which", ["reference", "template"])
@pytest.mark.parametrize("lab_name", list_labs())
def test_notebook_executes_top_to_bottom(lab_name, which, tmp_path):
    if lab_name != "backprop" and not ALL_NOTEBOOKS:
        pytest.skip("set DLGRADE_ALL_NOTEBOOKS=1 to execute every lab's notebook (minutes per torch lab)")
    lab = find_lab(lab_name)
    folder = _bundle(lab_name, tmp_path)
    if which == "reference":
        (folder / lab.student_file).write_text(lab.reference.read_text())
    nb = nbformat.read(folder / f"{lab.module}.ipynb", as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = "QUICK = True"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHONPATH"))}
    # Errors in any cell fail the test (allow_errors is off): the template's demos must wait quietly.
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute(env=env)
    checks = [c for c in nb.cells if _is_check(c)]
    others = [c for c in nb.cells if c.cell_type == "code" and not _is_check(c)]
    demo_code = [c.source for c in read_demos(lab.notebook_demos) if c.kind == "code"]
    demos = [c for c in others if c.source in demo_code]
    assert checks and demo_code and len(demos) == len(demo_code)
    for cell in checks:
        text = _text(cell)
        got, total = map(float, _TOTAL.search(text).groups())
        if which == "reference":
            assert got == total > 0 and "not implemented" not in text, text[-2000:]
        else:
            assert got < total and "not implemented yet" in text, text[-2000:]
    for cell in others:
        assert "not implemented yet" not in _text(cell)
    for cell in demos:
        pictures = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        if which == "reference":
            assert pictures, f"no plot from {cell.source[:80]!r}"
        else:
            assert "once" in _text(cell) and "work" in _text(cell)


# -- notebook submissions -----------------------------------------------------------------------

def _notebook(cells: list[str]) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    return nbformat.writes(nb)


def test_notebook_submission_takes_definitions_only(backprop, tmp_path):
    source = backprop.reference.read_text()
    cut = source.index("\nclass FullyConnectedNet")
    cells = [
        "%matplotlib inline\n!echo hello\nfrom autograder.notebooks import CELLS, check",
        source[:cut],
        "import os\nprint('training...')\nos._exit(3)",  # a top-level statement the grader must not run
        source[cut:],
        "while True:\n    pass",
        "EPS = 1e-8\nweights = np.random.randn(10)\nnet = FullyConnectedNet([10], input_dim=4)",
    ]
    path = tmp_path / "work.ipynb"
    path.write_text(_notebook(cells))
    report = grade(backprop, path, GradingOptions(hidden=False))
    assert report.score == report.max_score == public_points(), [t.message for t in report.tests if not t.passed]


def test_definitions_kept_and_statements_dropped():
    code = source_from_cells([
        "import math; run()",
        "@decorate(1)\ndef f(x):\n    return x\nf(2)",
        "try:\n    import torch_missing_here\nexcept ImportError:\n    torch = None",
        "A, B = 1, (2, 3)\nC: int = 4\nsq = lambda x, k=2: x ** k\nD = math.sqrt(3)\nE = [i for i in range(3)]",
        "class Net:\n    size = decorate(2)\nfor i in range(3):\n    run()",
    ])
    namespace: dict = {"decorate": lambda n: (lambda fn: fn), "run": None}  # run() would raise TypeError
    exec(compile(code, "module", "exec"), namespace)
    assert {"math", "f", "torch", "A", "B", "C", "sq", "Net"} <= set(namespace)
    assert not {"D", "E", "i"} & set(namespace)
    assert namespace["sq"](3) == 9 and namespace["torch"] is None


@pytest.mark.parametrize(("content", "message"), [
    ('{"cells": [', "is not valid JSON (line 1"),
    ('{"hello": "world"}', "is JSON but not a Jupyter notebook"),
    ('{"cells": "none", "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "is not a valid Jupyter notebook"),
    (None, "code cell 2 is not valid Python (line 2"),
])
def test_broken_notebooks_get_a_clear_message(content, message, backprop, tmp_path):
    path = tmp_path / "work.ipynb"
    path.write_text(content if content is not None else _notebook(["x = 1", "def ok():\n    def broken(:"]))
    with pytest.raises(SubmissionError, match=re.escape(message)):
        prepare_module(path, backprop, tmp_path)


def test_broken_notebook_graded_from_the_command_line(tmp_path):
    path = tmp_path / "work.ipynb"
    path.write_bytes(b"\x89PNG not a notebook")
    out = tmp_path / "results.json"
    subprocess.run([sys.executable, "-m", "autograder", "grade", "backprop", str(path), "--out", str(out),
                    "--quiet"], capture_output=True, timeout=300)
    results = json.loads(out.read_text())
    assert results["score"] == 0 and "work.ipynb is not UTF-8 text" in results["output"]


def test_check_of_code_written_in_the_cells(backprop, tmp_path):
    cells = ["from autograder.notebooks import CELLS, check", backprop.reference.read_text(),
             "print('a top-level statement')", "check('backprop', 'mse_loss', source=CELLS)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    mse = _points_of("mse_loss")
    assert f"total {mse:g} / {mse:g}" in _text(nb.cells[-1])
