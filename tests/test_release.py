"""Release artefacts work on their own: the student bundle without this repository, on any system;
each side installs exactly what its lab needs; setup.sh builds only with a Python the grader runs on.
(run_autograder on a simulated Gradescope machine: test_gradescope_sim.py.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.grading.pipeline import SEED_SECRET
from autograder.labs import Lab, find_lab, list_labs
from autograder.release.build import release, student_readme
from autograder.release.contents import TORCH_CPU, TORCH_VERSION, ReleaseError, requirements
from autograder.release.gradescope import setup_script
from tests.conftest import public_points

REPO = Path(__file__).resolve().parents[1]
TORCH_LABS = {"siamese_triplet", "gan", "dqn"}


@pytest.fixture(scope="module")
def released(backprop, tmp_path_factory) -> tuple[Path, Path]:
    return tuple(release(backprop, tmp_path_factory.mktemp("dist")))


def _clean_env(**extra: str) -> dict[str, str]:
    """This machine's environment without what points at this repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHON"))}
    return env | {"COLUMNS": "200"} | extra


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
    assert "backprop/signatures.json" not in names  # it names the hidden tests
    template = zipfile.ZipFile(released[0]).read("backprop/backprop.py").decode()
    assert "NotImplementedError" in template and "BEGIN SOLUTION" not in template


def test_autograder_layout_and_contents(released):
    names = set(zipfile.ZipFile(released[1]).namelist())
    assert {"setup.sh", "run_autograder", "requirements.txt", "scripts/setup_sandbox.sh"} <= names
    assert any(n.startswith("assignments/backprop/tests/hidden/") for n in names)
    assert "student_templates/backprop/backprop.py" in names  # names the lab's functions for notebook messages
    assert "assignments/backprop/signatures.json" in names  # the known mistakes feedback names
    assert not [n for n in names if "/mutants/" in n or "reference_solutions" in n]


# -- what each side installs ------------------------------------------------------------------------
def _packages(text: str) -> dict[str, str]:
    return {re.match(r"[A-Za-z0-9_.\-]+", line).group(0).lower(): line for line in text.splitlines() if line}


@pytest.mark.parametrize("name", list_labs())
def test_requirements_are_what_the_lab_needs(name):
    lab = find_lab(name)
    student, grader = _packages(requirements(lab, hidden=False)), _packages(requirements(lab, hidden=True))
    # torch, wherever it is needed, is the tested CPU version: never a range a CUDA build satisfies
    assert {side.get("torch") for side in (student, grader)} <= {f"torch=={TORCH_VERSION}", None}
    assert ("torch" in student) == (name in TORCH_LABS)
    assert "torch" in grader  # the hidden tests of the numpy labs use torch as their oracle
    for side in (student, grader):
        assert ("gymnasium" in side) == (name == "dqn")
        assert ("scikit-learn" in side) == (name == "siamese_triplet")
        assert "matplotlib" not in side  # the notebook's, not the checks'
        assert "numpy" in side and "pytest" in side
    assert "nbformat" in grader and "nbformat" not in student


@pytest.mark.parametrize("name", list_labs())
def test_student_readme_installs_cpu_torch_first(name):
    lab = find_lab(name)
    readme = student_readme(lab)
    torch_at, reqs_at = readme.find(f"pip install {TORCH_CPU}"), readme.find("pip install -r requirements.txt")
    assert reqs_at > 0 and "python dlgrade.py check " + name in readme and "## Google Colab" in readme
    if name in TORCH_LABS:
        assert 0 < torch_at < reqs_at
        colab = readme[readme.index("## Google Colab"):]
        assert colab.index(f"!pip install {TORCH_CPU}") < colab.index("!pip install -r requirements.txt")
    else:
        assert "torch" not in readme


def test_the_torch_pin_is_the_one_the_project_tests_with():
    assert f"torch=={TORCH_VERSION}" in (REPO / "Makefile").read_text()


def test_an_undeclared_import_stops_the_release(tmp_path):
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    tests = tmp_path / "assignments" / "x" / "tests" / "public"
    tests.mkdir(parents=True)
    (tests / "test_x.py").write_text("import yaml\n")
    lab = Lab(name="x", title="x", student_file="x.py", directory=tests.parents[1], root=tmp_path)
    with pytest.raises(ReleaseError, match="imports yaml"):
        requirements(lab, hidden=False)


# -- the student bundle, without this repository ------------------------------------------------------
@pytest.fixture(scope="module")
def bundle(backprop, released, tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("student")
    zipfile.ZipFile(released[0]).extractall(top)
    folder = top / "backprop"
    (folder / "backprop.py").write_text(backprop.reference.read_text())
    return folder


def _own_work(out: subprocess.CompletedProcess) -> None:
    assert out.returncode == 0, out.stderr
    assert f"total {public_points():g} / {public_points():g}" in out.stdout
    assert str(REPO) not in out.stdout  # the bundled harness, not this repository's, did the work


def test_student_bundle_checks_with_the_shell_launcher(bundle):
    out = subprocess.run(["sh", "./dlgrade", "check", "backprop"], cwd=bundle,
                         env=_clean_env(PYTHON=sys.executable), capture_output=True, text=True, timeout=300)
    _own_work(out)


def test_student_bundle_checks_with_the_python_entry_point(bundle):
    out = subprocess.run([sys.executable, "dlgrade.py", "check", "backprop"], cwd=bundle, env=_clean_env(),
                         capture_output=True, text=True, timeout=300)
    _own_work(out)
    assert "POSIX-only" not in out.stderr


def test_without_posix_the_check_says_so_and_still_grades(bundle):
    """Windows lacks ``resource`` (and ``pwd``, and POSIX processes): simulated by hiding ``resource``."""
    hide = "import runpy, sys; sys.modules['resource'] = None; sys.argv[1:] = ['check', 'backprop']; " \
           "runpy.run_path('dlgrade.py', run_name='__main__')"
    out = subprocess.run([sys.executable, "-c", hide], cwd=bundle, env=_clean_env(), capture_output=True,
                         text=True, timeout=300)
    _own_work(out)
    said = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(said) == 1 and "running without the POSIX-only layers" in said[0] and "resource" in said[0]
    strict = hide.replace("'backprop']", "'backprop', '--sandbox', 'strict']")
    out = subprocess.run([sys.executable, "-c", strict], cwd=bundle, env=_clean_env(), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 2 and "no worker process can run here" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


# -- setup.sh's first step: the Python it will grade with ----------------------------------------------
def _first_step(tmp_path: Path, backprop: Lab, python3: str | None, apt_gives: str | None = None):
    """``setup.sh --python`` where python3 claims version ``python3`` (None: does not run) and
    apt-get installs a python3.11 claiming ``apt_gives`` (None: apt-get fails). Nothing is installed:
    both are stand-ins on PATH; apt-get notes each call in ``apt.log``."""
    fake, log = tmp_path / "bin", tmp_path / "apt.log"
    fake.mkdir()

    def script(name: str, body: str) -> None:
        (fake / name).write_text("#!/bin/sh\n" + body)
        (fake / name).chmod(0o755)

    script("python3", f"echo {python3}\n" if python3 else "exit 127\n")
    install = f"printf '#!/bin/sh\\necho {apt_gives}\\n' > {fake}/python3.11; chmod 755 {fake}/python3.11\n"
    script("apt-get", f'echo "$*" >> {log}\n' + (install if apt_gives else "exit 100\n"))
    (tmp_path / "setup.sh").write_text(setup_script(backprop))
    env = _clean_env(PATH=f"{fake}:{os.environ['PATH']}")
    done = subprocess.run(["bash", str(tmp_path / "setup.sh"), "--python"], env=env, capture_output=True,
                          text=True, timeout=60)
    return done, log.read_text() if log.exists() else ""


@pytest.mark.parametrize("version", ["3.10", "2.7", None, "garbage"])
def test_setup_fails_the_build_without_a_supported_python(backprop, tmp_path, version):
    out, apt = _first_step(tmp_path, backprop, version)
    assert out.returncode != 0 and apt.startswith("update")  # it tried to install one
    assert "dlgrade needs Python 3.11 or newer" in out.stderr and f"is {version or 'missing'}:" in out.stderr


def test_setup_installs_python_3_11_where_the_image_has_an_older_one(backprop, tmp_path):
    out, _ = _first_step(tmp_path, backprop, "3.10", apt_gives="3.11")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "python3.11" and "python3 is 3.10; installing python3.11" in out.stderr


@pytest.mark.parametrize("version", ["3.11", "3.12", "4.0"])
def test_setup_keeps_a_supported_python(backprop, tmp_path, version):
    out, apt = _first_step(tmp_path, backprop, version)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "python3" and apt == ""


def test_setup_installs_what_was_tested_and_hides_no_failure(backprop):
    script = setup_script(backprop)
    assert "set -euo pipefail" in script
    assert not [line for line in script.splitlines() if re.search(r"apt-get|pip|setup_sandbox", line) and "||" in line]
    assert f"pip install --quiet {TORCH_CPU}\n" in script
    # the sandbox is set up for, and checked with, the interpreter that will grade
    assert "bash scripts/setup_sandbox.sh /opt/dlgrade-venv/bin/python\n" in script


def test_student_bundle_offers_only_the_students_commands(released, tmp_path):
    zipfile.ZipFile(released[0]).extractall(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLGRADE", "PYTHON"))}
    env |= {"PYTHON": sys.executable, "COLUMNS": "200"}

    def dlgrade(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", "./dlgrade", *args], cwd=tmp_path / "backprop", env=env, capture_output=True,
                              text=True, timeout=60)

    listed = dlgrade("list")
    assert listed.returncode == 0 and "backprop" in listed.stdout and "Backpropagation" in listed.stdout
    refused = dlgrade("validate", "backprop")
    assert refused.returncode == 2
    assert refused.stdout == "'validate' is not available in the student bundle: use check or list\n"
