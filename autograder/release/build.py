"""``dlgrade release LAB``: the student bundle and the autograder package.

student.zip     <lab>/ with the template, its notebook (<lab>.ipynb), instructions, public tests,
                probes and a vendored copy of the harness, so that ``python dlgrade.py check <lab>``
                (any system), ``./dlgrade check <lab>`` and the notebook's check cells run without
                this repository.
autograder.zip  Gradescope's layout (``release/gradescope.py``), with a secret drawn for this release (the
                tests' seeds derive from it); ``--format otter`` writes an otter-grader autograder
                instead (``release/otter_export.py``).
"""

from __future__ import annotations

from pathlib import Path

from autograder.grading.results import HIDDEN_SHOWN
from autograder.labs import Lab
from autograder.release.bundle import write_zip
from autograder.release.contents import (
    TORCH_CPU,
    lab_files,
    needs_torch,
    notebook_packages,
    package_files,
    python_minimum,
    requirements,
)
from autograder.release.gradescope import autograder_package

FORMATS = ("gradescope", "otter")

LAUNCHER = """#!/usr/bin/env sh
# Runs the bundled dlgrade: ./dlgrade check {lab} (DLGRADE_STUDENT: only the students' commands)
here="$(cd "$(dirname "$0")" && pwd)"
export PYTHONPATH="$here/.dlgrade${{PYTHONPATH:+:$PYTHONPATH}}" DLGRADE_ROOT="$here" DLGRADE_STUDENT=1
exec "${{PYTHON:-python3}}" -m autograder "$@"
"""

# The launcher for every system (Windows has no sh): the same environment as LAUNCHER's.
ENTRY = '''"""Runs the bundled dlgrade on any system: python dlgrade.py check {lab}"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".dlgrade"))
os.environ["DLGRADE_ROOT"] = here
os.environ["DLGRADE_STUDENT"] = "1"

from autograder.cli import main

sys.exit(main())
'''

STUDENT_README = """# {title}

You need Python {python} or newer. Below, `python` is the command that runs it (`python3` on
most Linux and macOS systems, `py` on Windows).

1. Install what the checks need, once:

   ```sh
{install}   ```
{torch_note}
2. Read `instructions.md`, then write your code in `{student_file}`.
3. Check it: `python dlgrade.py check {lab}` (on Linux and macOS `./dlgrade check {lab}` does the
   same). It runs the public tests and prints, for every failing test, the function, the smallest
   input that fails, the worst element (expected against got) and a hint. Where the system is not
   POSIX (Windows) it says it is running without the POSIX-only layers: your code then runs inside
   the checker, with no time limit (Ctrl-C stops a loop). Or work in Jupyter: open `{notebook}`
   (`python -m pip install {notebook_packages}` once); its check cells run the same public tests
   after each part, and it plots what your code learns.
4. Hand in `{student_file}`. Hidden tests run when you submit: they check harder cases too. The
   score you see at once counts them; which hidden tests failed, with the function and the kind of
   failure (never their inputs), is shown
   {hidden_shown}. When your failures look like a known mistake, the feedback names the mistake.

## Google Colab

Upload `student.zip` (the Files pane), then run this as the notebook's first cell:

```
!unzip -q -o student.zip
%cd {lab}
{colab_install}!python dlgrade.py check {lab}
```
"""

_TORCH_NOTE = """
   CPU torch comes first, from PyTorch's CPU-only index: `requirements.txt` pins the same
   version, so pip finds it installed and never downloads a CUDA build (gigabytes).
"""


def student_readme(lab: Lab) -> str:
    torch = needs_torch(lab, hidden=False)
    steps = [*([f"pip install {TORCH_CPU}"] if torch else []), "pip install -r requirements.txt"]
    major, minor = python_minimum()
    return STUDENT_README.format(
        title=lab.title, lab=lab.name, student_file=lab.student_file, notebook=f"{lab.module}.ipynb",
        hidden_shown=HIDDEN_SHOWN[lab.hidden_visibility],
        python=f"{major}.{minor}", install="".join(f"   python -m {step}\n" for step in steps),
        torch_note=_TORCH_NOTE if torch else "", colab_install="".join(f"!{step}\n" for step in steps),
        notebook_packages=" ".join(f'"{p}"' if ">" in p else p for p in notebook_packages(lab)))


def student_bundle(lab: Lab, out: Path) -> Path:
    from autograder.notebooks.generate import notebook_text

    top = lab.name
    files: dict[str, Path | str] = {}
    files |= lab_files(lab, top, hidden=False)
    files |= package_files(f"{top}/.dlgrade/autograder")
    files[f"{top}/{lab.student_file}"] = lab.template
    files[f"{top}/{lab.module}.ipynb"] = notebook_text(lab)
    files[f"{top}/dlgrade"] = LAUNCHER.format(lab=lab.name)
    files[f"{top}/dlgrade.py"] = ENTRY.format(lab=lab.name)
    files[f"{top}/requirements.txt"] = requirements(lab, hidden=False)
    files[f"{top}/README.md"] = student_readme(lab)
    return write_zip(out / lab.name / "student.zip", files, executable=[f"{top}/dlgrade"])


def release(lab: Lab, out: Path, format: str = "gradescope") -> list[Path]:
    """The student bundle and the autograder of ``format`` (one of ``FORMATS``)."""
    if format == "otter":
        from autograder.release.otter_export import otter_package

        return [student_bundle(lab, out), otter_package(lab, out)]
    if format != "gradescope":
        raise ValueError(f"unknown release format {format!r}; known: {', '.join(FORMATS)}")
    return [student_bundle(lab, out), autograder_package(lab, out)]
