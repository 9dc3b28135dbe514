"""What a release ships: the harness package, a lab's files without its private parts, and the
packages each side needs, derived from what the lab's files import."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import autograder
from autograder.labs import Lab
from autograder.release.bundle import tree

PACKAGE = Path(autograder.__file__).resolve().parent

# The torch the tests ran with (the Makefile installs the same), from PyTorch's CPU-only index:
# PyPI's Linux wheels are CUDA builds that pull ~19 nvidia and triton packages (gigabytes).
TORCH_VERSION = "2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_CPU = f"torch=={TORCH_VERSION} --index-url {TORCH_CPU_INDEX}"  # what `pip install` takes
# Import names whose distribution is called otherwise.
_DISTRIBUTIONS = {"sklearn": "scikit-learn"}
# The grader reads notebook submissions; students need Jupyter only for the notebook.
_GRADER_ONLY = ("nbformat",)
_NOTEBOOK = ("jupyterlab",)


class ReleaseError(Exception):
    """A lab imports a package that pyproject.toml does not declare: no release could install it."""


def requirements(lab: Lab, hidden: bool) -> str:
    """requirements.txt: the harness's packages and what the lab's code imports, for the student
    bundle (public tests) or the grader (``hidden``: hidden tests too, and notebook submissions).
    Torch, where needed, is pinned to ``TORCH_VERSION``: installed first from the CPU index, it
    satisfies the pin, and pip never reaches for a CUDA build."""
    declared = _declared()
    names = [*_harness(), *sorted(_check_imports(lab, hidden))]
    if hidden:
        names += _GRADER_ONLY
    return "".join(f"{_requirement(name, declared, lab)}\n" for name in dict.fromkeys(names))


def needs_torch(lab: Lab, hidden: bool) -> bool:
    return "torch" in _check_imports(lab, hidden)


def notebook_packages(lab: Lab) -> list[str]:
    """What the lab's notebook needs beyond requirements.txt: Jupyter and what its demos plot with."""
    extra = _imports([lab.notebook_demos, lab.template], lab) - _check_imports(lab, hidden=False)
    declared = _declared()
    return [*_NOTEBOOK, *(_requirement(name, declared, lab) for name in sorted(extra))]


def package_files(prefix: str) -> dict[str, Path]:
    """The harness (``autograder/``) under ``prefix`` in the archive."""
    return tree(PACKAGE, prefix)


def lab_files(lab: Lab, prefix: str, hidden: bool) -> dict[str, Path]:
    """The lab's folder under ``prefix``, without what is private to the authors (and to the grader
    when ``hidden`` is false): what ``Lab.private_paths`` names."""
    shipped = {lab.hidden_tests, lab.signatures, lab.calibration} if hidden else set()
    exclude = [p.relative_to(lab.directory) for p in lab.private_paths
               if p not in shipped and p.is_relative_to(lab.directory)]
    return tree(lab.directory, prefix, exclude=exclude)


# -- what the code imports ----------------------------------------------------------------------------
def _check_imports(lab: Lab, hidden: bool) -> set[str]:
    """Packages a check (``hidden``: a grading) imports: the student's module when it loads (a
    function that imports inside itself, for plots, says the grader never needs it), the tests and
    the probes, every import they run."""
    tests = [lab.public_tests, *([lab.hidden_tests] if hidden else [])]
    files = [p for folder in tests for p in sorted(folder.rglob("*.py"))]
    if lab.probes:
        files.append(lab.probes)
    return _imports(files, lab) | _imports([lab.template], lab, module_level=True)


def _imports(files: Iterable[Path], lab: Lab, module_level: bool = False) -> set[str]:
    """Third-party top-level packages ``files`` import (not the standard library, the harness or the
    lab's own modules); ``module_level``: only those that run when a file is imported."""
    own = {p.stem for p in lab.directory.rglob("*.py")} | {lab.module, "autograder"}
    found: set[str] = set()
    for path in files:
        if not path.exists():
            continue
        for node in _walk(ast.parse(path.read_text(), str(path)), module_level):
            if isinstance(node, ast.Import):
                found |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.partition(".")[0])
    return {name for name in found if name not in own and name not in sys.stdlib_module_names}


def _walk(node: ast.AST, module_level: bool) -> Iterable[ast.AST]:
    for child in ast.iter_child_nodes(node):
        yield child
        if not (module_level and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))):
            yield from _walk(child, module_level)


# -- what pyproject.toml declares ----------------------------------------------------------------------
@cache
def _pyproject() -> dict:
    """dlgrade's own declaration (not a lab's): pyproject.toml in a checkout, else the installed metadata."""
    source = PACKAGE.parent / "pyproject.toml"
    if source.exists():
        return tomllib.loads(source.read_text())["project"]
    requires = importlib.metadata.requires("dlgrade") or []
    return {"dependencies": [r for r in requires if "extra ==" not in r],
            "optional-dependencies": {"extras": [r.split(";")[0].strip() for r in requires if "extra ==" in r]},
            "requires-python": importlib.metadata.metadata("dlgrade")["Requires-Python"]}


def _harness() -> list[str]:
    return [_name(req) for req in _pyproject()["dependencies"]]


def _declared() -> dict[str, str]:
    """distribution name -> its requirement in pyproject.toml (dependencies and every extra)."""
    project = _pyproject()
    reqs = [*project["dependencies"], *(r for extra in project.get("optional-dependencies", {}).values()
                                        for r in extra)]
    return {_name(req): req for req in reqs}


def _name(requirement: str) -> str:
    return re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0).lower()


def python_minimum() -> tuple[int, int]:
    """The oldest Python pyproject.toml allows (``requires-python = ">=3.X"``)."""
    match = re.fullmatch(r">=\s*(\d+)\.(\d+)", _pyproject()["requires-python"].strip())
    if not match:
        raise ReleaseError("pyproject.toml: requires-python must read '>=MAJOR.MINOR'")
    return int(match.group(1)), int(match.group(2))


def _requirement(name: str, declared: dict[str, str], lab: Lab) -> str:
    distribution = _DISTRIBUTIONS.get(name, name)
    if distribution == "torch":
        return f"torch=={TORCH_VERSION}"
    if distribution not in declared:
        raise ReleaseError(f"lab {lab.name} imports {name}, which pyproject.toml does not declare "
                           "(add it to an extra: the release installs only declared packages)")
    return declared[distribution]
