"""The student README's first cell for Google Colab, run as Colab runs it: a notebook whose first cell
it is, executed by a kernel of a fresh virtualenv, with `student.zip` next to the notebook.

Opt-in (DLGRADE_SLOW_INSTALL_TESTS=1): it installs what the README says from the package index, which
takes minutes (torch's wheel for a torch lab).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.labs import find_lab
from autograder.release.build import student_bundle

pytestmark = pytest.mark.skipif(os.environ.get("DLGRADE_SLOW_INSTALL_TESTS") != "1",
                                reason="installs packages for minutes: set DLGRADE_SLOW_INSTALL_TESTS=1")


def colab_cell(bundle: Path, lab: str) -> str:
    """The code block under the bundle README's "Google Colab" heading."""
    readme = zipfile.ZipFile(bundle).read(f"{lab}/README.md").decode()
    block = re.search(r"## Google Colab\n.*?```\n(.*?)```", readme, re.S)
    assert block, "the student README has no Colab cell"
    return block.group(1)


def fresh_kernel(root: Path) -> dict[str, str]:
    """A virtualenv with only ipykernel, and a kernelspec for it whose PATH starts with its bin, as
    Colab's shell finds the kernel's own pip and python. Returns the environment that finds the spec."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # from a venv too: the base Python
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "ipykernel"], check=True)
    spec = root / "jupyter" / "kernels" / "colab"
    spec.mkdir(parents=True)
    bin_dir = str(venv / "bin")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "colab", "language": "python",
        "env": {"PATH": f"{bin_dir}:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)},
    }))
    return {"JUPYTER_PATH": str(root / "jupyter")}


@pytest.mark.parametrize("lab_name", ["backprop", "gan"])  # a numpy lab, and a torch lab (CPU torch first)
def test_the_colab_cell_installs_and_checks_the_template(lab_name, tmp_path, monkeypatch):
    import nbclient
    import nbformat

    started = time.monotonic()
    lab = find_lab(lab_name)
    bundle = student_bundle(lab, tmp_path / "dist")
    work = tmp_path / "content"  # Colab's working folder, where an upload lands
    work.mkdir()
    (work / "student.zip").write_bytes(bundle.read_bytes())
    for name, value in fresh_kernel(tmp_path).items():
        monkeypatch.setenv(name, value)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(colab_cell(bundle, lab.name))])
    nbclient.NotebookClient(notebook, kernel_name="colab", timeout=1200,
                            resources={"metadata": {"path": str(work)}}).execute()
    output = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    print(f"{lab_name}: Colab cell in a fresh virtualenv took {time.monotonic() - started:.0f} s")
    assert f"graded {lab.student_file}" in output, output[-3000:]
    assert re.search(r"total 0 / \d+", output), output[-3000:]
