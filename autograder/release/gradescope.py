"""The Gradescope autograder package: setup.sh and run_autograder at the top, the harness, the lab
with its hidden tests; never the reference solution or the buggy variants."""

from __future__ import annotations

import secrets
from pathlib import Path

from autograder.grading.pipeline import SEED_SECRET
from autograder.labs import Lab
from autograder.release.bundle import write_zip
from autograder.release.contents import (
    PACKAGE,
    TORCH_CPU,
    lab_files,
    needs_torch,
    package_files,
    python_minimum,
    requirements,
)

VENV = "/opt/dlgrade-venv"

# Each step fails the build with its own message: an image that builds must be able to grade.
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image. `bash setup.sh --python` runs
# only the first step and prints the interpreter the image would grade with.
set -euo pipefail
cd "$(dirname "$0")"

# 1. Python {major}.{minor} or newer (dlgrade reads lab.toml with tomllib). On Ubuntu 22.04,
#    Gradescope's default image, python3 is 3.10 and python3.11 is a package: install that.
version_of() {{ "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }}
supported() {{ [[ "$1" =~ ^([0-9]+)\\.([0-9]+)$ ]] \\
                   && (( BASH_REMATCH[1] > {major} || (BASH_REMATCH[1] == {major} && BASH_REMATCH[2] >= {minor}) )); }}
python=python3
version="$(version_of python3)" || version=""
if ! supported "$version" && command -v apt-get >/dev/null; then
    echo "setup.sh: python3 is ${{version:-missing}}; installing python{major}.{minor}" >&2
    if apt-get update -qq && apt-get install -y -qq python{major}.{minor} python{major}.{minor}-venv >/dev/null; then
        python=python{major}.{minor}
        version="$(version_of "$python")" || version=""
    fi
fi
if ! supported "$version"; then
    echo "setup.sh: dlgrade needs Python {major}.{minor} or newer, and this image's python3 is" \\
         "${{version:-missing}}: choose a base image that has it (see the README)" >&2
    exit 1
fi
if [ "${{1:-}}" = --python ]; then echo "$python"; exit 0; fi

# 2. The system's parts: venv support, and bubblewrap for the sandbox.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "$python-venv" bubblewrap >/dev/null

# 3. The grading interpreter{torch_comment}
"$python" -m venv {venv}
{venv}/bin/pip install --quiet --upgrade pip
{torch_step}{venv}/bin/pip install --quiet -r requirements.txt

# 4. The sandbox's dedicated user, for that interpreter; then what grading here would get
#    (run_autograder refuses to grade without strong isolation unless DLGRADE_SANDBOX=auto).
bash scripts/setup_sandbox.sh {venv}/bin/python
PYTHONPATH="$PWD" {venv}/bin/python -c \\
    'from autograder.sandbox.isolation import plan; print("setup.sh:", plan("auto").summary())'
"""

_TORCH_STEP = "{venv}/bin/pip install --quiet {torch}\n"
_TORCH_COMMENT = (": CPU torch first, the tested version from PyTorch's CPU-only index\n"
                  "#    (PyPI's is a CUDA build); requirements.txt pins the same, so pip keeps it.")

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; results.json is always written, whatever happens.
# Environment, all optional (docs/sandbox.md lists what the sandbox itself reads):
#   AUTOGRADER_ROOT  the tree with source/, submission/, results/ (default /autograder)
#   DLGRADE_PYTHON   the grading interpreter (default {venv}/bin/python, made by setup.sh)
#   DLGRADE_SANDBOX  strict (default): no grade without strong isolation; auto: the strongest here
root="${{AUTOGRADER_ROOT:-/autograder}}"
source_dir="$root/source"
python="${{DLGRADE_PYTHON:-{venv}/bin/python}}"
[ -x "$python" ] || python=python3
mkdir -p "$root/results"
cd "$source_dir" || exit 1
PYTHONPATH="$source_dir" DLGRADE_ROOT="$source_dir" "$python" -m autograder grade {lab} "$root/submission" \\
    --out "$root/results/results.json" --quiet --sandbox "${{DLGRADE_SANDBOX:-strict}}"
status=$?
if [ ! -s "$root/results/results.json" ]; then
    message="the grader failed to start (status $status); please tell the course staff"
    printf '{{"score": 0, "output": "%s", "tests": []}}\\n' "$message" > "$root/results/results.json"
fi
exit 0
"""


def setup_script(lab: Lab) -> str:
    major, minor = python_minimum()
    torch = needs_torch(lab, hidden=True)
    return SETUP_SH.format(major=major, minor=minor, venv=VENV, torch_comment=_TORCH_COMMENT if torch else ".",
                           torch_step=_TORCH_STEP.format(venv=VENV, torch=TORCH_CPU) if torch else "")


def autograder_package(lab: Lab, out: Path) -> Path:
    """Write ``out/<lab>/autograder.zip``."""
    files: dict[str, Path | str] = {}
    files |= package_files("autograder")
    files |= lab_files(lab, f"assignments/{lab.name}", hidden=True)
    if lab.template.exists():  # names the lab's functions for a notebook that defines none of them
        files[f"student_templates/{lab.name}/{lab.student_file}"] = lab.template
    # Drawn anew for every release: the tests' seeds (``pipeline.seed_of``) stay the same across its gradings and
    # unknown to the students, who never see the hidden tests.
    files[f"assignments/{lab.name}/tests/hidden/{SEED_SECRET}"] = secrets.token_hex(32) + "\n"
    files["setup.sh"] = setup_script(lab)
    files["run_autograder"] = RUN_AUTOGRADER.format(lab=lab.name, venv=VENV)
    files["requirements.txt"] = requirements(lab, hidden=True)
    files["scripts/setup_sandbox.sh"] = PACKAGE.parent / "scripts" / "setup_sandbox.sh"  # dlgrade's, as the harness
    return write_zip(out / lab.name / "autograder.zip", files, executable=["setup.sh", "run_autograder"])
