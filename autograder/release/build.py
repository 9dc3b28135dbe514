"""``dlgrade release LAB``: the student bundle and the Gradescope autograder package.

student.zip     <lab>/ with the template, its notebook (<lab>.ipynb), instructions, public tests,
                probes and a vendored copy of the harness, so that ``./dlgrade check <lab>`` and the
                notebook's check cells run without this repository.
autograder.zip  Gradescope's layout: setup.sh and run_autograder at the top, the harness, the lab
                with its hidden tests and a secret drawn for this release (the tests' seeds derive
                from it); never the reference solution or the buggy variants.
                ``--format otter`` writes an otter-grader autograder instead (``release/otter_export.py``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from autograder.grading.pipeline import SEED_SECRET
from autograder.labs import Lab
from autograder.release.bundle import write_zip
from autograder.release.contents import lab_files, package_files, requirements

FORMATS = ("gradescope", "otter")

LAUNCHER = """#!/usr/bin/env sh
# Runs the bundled dlgrade: ./dlgrade check {lab}
here="$(cd "$(dirname "$0")" && pwd)"
export PYTHONPATH="$here/.dlgrade${{PYTHONPATH:+:$PYTHONPATH}}" DLGRADE_ROOT="$here"
exec "${{PYTHON:-python3}}" -m autograder "$@"
"""

STUDENT_README = """# {title}

1. Install what the checks need (once): `python3 -m pip install -r requirements.txt`{torch_note}
2. Read `instructions.md`, then write your code in `{student_file}`.
3. Check it: `./dlgrade check {lab}` (or `python3 -m autograder check {lab}` with `.dlgrade` on
   PYTHONPATH). It runs the public tests and prints, for every failing test, the function, the
   smallest input that fails, the worst element (expected against got) and a hint.
   Or work in Jupyter: open `{notebook}` (`python3 -m pip install jupyterlab matplotlib` once);
   its check cells run the same public tests after each part, and it plots what your code learns.
4. Hand in `{student_file}`. Hidden tests run when you submit: they check harder cases too.
"""

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
apt-get update -qq && apt-get install -y -qq python3 python3-pip python3-venv bubblewrap >/dev/null || true
python3 -m venv /opt/dlgrade-venv
/opt/dlgrade-venv/bin/pip install --quiet --upgrade pip
# CPU torch from PyTorch's CPU index: the default index would bring a multi-GB CUDA build.
/opt/dlgrade-venv/bin/pip install --quiet torch --index-url https://download.pytorch.org/whl/cpu
/opt/dlgrade-venv/bin/pip install --quiet -r requirements.txt
bash scripts/setup_sandbox.sh || echo "sandbox setup incomplete: grading falls back to weaker isolation"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; results.json is always written, whatever happens.
root="${{AUTOGRADER_ROOT:-/autograder}}"
source_dir="$root/source"
python="${{DLGRADE_PYTHON:-/opt/dlgrade-venv/bin/python}}"
[ -x "$python" ] || python=python3
mkdir -p "$root/results"
cd "$source_dir" || exit 1
PYTHONPATH="$source_dir" DLGRADE_ROOT="$source_dir" "$python" -m autograder grade {lab} "$root/submission" \\
    --out "$root/results/results.json" --quiet
status=$?
if [ ! -s "$root/results/results.json" ]; then
    message="the grader failed to start (status $status); please tell the course staff"
    printf '{{"score": 0, "output": "%s", "tests": []}}\\n' "$message" > "$root/results/results.json"
fi
exit 0
"""


def student_bundle(lab: Lab, out: Path) -> Path:
    from autograder.notebooks.generate import notebook_text

    top = lab.name
    files: dict[str, Path | str] = {}
    files |= lab_files(lab, top, hidden=False)
    files |= package_files(f"{top}/.dlgrade/autograder")
    files[f"{top}/{lab.student_file}"] = lab.template
    files[f"{top}/{lab.module}.ipynb"] = notebook_text(lab)
    files[f"{top}/dlgrade"] = LAUNCHER.format(lab=lab.name)
    files[f"{top}/requirements.txt"] = requirements(lab, hidden=False) + (
        "torch>=2.4\n" if lab.framework == "torch" else "")
    torch_note = (" and CPU torch: `pip install torch --index-url https://download.pytorch.org/whl/cpu`"
                  if lab.framework == "torch" else "")
    files[f"{top}/README.md"] = STUDENT_README.format(title=lab.title, lab=lab.name,
                                                      student_file=lab.student_file, torch_note=torch_note,
                                                      notebook=f"{lab.module}.ipynb")
    return write_zip(out / lab.name / "student.zip", files, executable=[f"{top}/dlgrade"])


def autograder_package(lab: Lab, out: Path) -> Path:
    files: dict[str, Path | str] = {}
    files |= package_files("autograder")
    files |= lab_files(lab, f"assignments/{lab.name}", hidden=True)
    # Drawn anew for every release: the tests' seeds (``pipeline.seed_of``) stay the same across its gradings and
    # unknown to the students, who never see the hidden tests.
    files[f"assignments/{lab.name}/tests/hidden/{SEED_SECRET}"] = secrets.token_hex(32) + "\n"
    files["setup.sh"] = SETUP_SH
    files["run_autograder"] = RUN_AUTOGRADER.format(lab=lab.name)
    files["requirements.txt"] = requirements(lab, hidden=True)
    sandbox_setup = lab.root / "scripts" / "setup_sandbox.sh"
    if sandbox_setup.exists():
        files["scripts/setup_sandbox.sh"] = sandbox_setup
    return write_zip(out / lab.name / "autograder.zip", files, executable=["setup.sh", "run_autograder"])


def release(lab: Lab, out: Path, format: str = "gradescope") -> list[Path]:
    """The student bundle and the autograder of ``format`` (one of ``FORMATS``)."""
    if format == "otter":
        from autograder.release.otter_export import otter_package

        return [student_bundle(lab, out), otter_package(lab, out)]
    if format != "gradescope":
        raise ValueError(f"unknown release format {format!r}; known: {', '.join(FORMATS)}")
    return [student_bundle(lab, out), autograder_package(lab, out)]
