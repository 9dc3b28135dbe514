"""A lab's spec (lab.toml) and the locations of its parts.

The same layout serves the repository, the student bundle and the autograder package: a lab is a
folder with ``lab.toml`` and ``tests/public`` (plus ``tests/hidden`` on the grader's side).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import jsonschema

from autograder.sandbox.limits import Limits

REPO_ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("numpy", "torch")
# A numpy lab is about writing the gradients by hand: no package that computes them may be imported.
# One list for every numpy lab, so that no lab forgets one.
AUTODIFF_PACKAGES = ("torch", "jax", "jaxlib", "tensorflow", "autograd", "keras", "mxnet", "cupy")
# Gradescope's visibilities of a test; the hidden tests get the lab's ``hidden_visibility``, which each
# lab.toml must choose: it decides what a student sees of the hidden tests at submission.
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")

_NUMBER = {"type": "number", "exclusiveMinimum": 0}
_LIMIT = {"float": _NUMBER, "int": {"type": "integer", "exclusiveMinimum": 0}}
# lab.toml's keys; docs/authoring.md explains each. Every [limits] key is a field of Limits.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["lab"],
    "additionalProperties": False,
    "properties": {
        "lab": {
            "type": "object",
            "required": ["name", "title", "student_file", "hidden_visibility"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "title": {"type": "string", "minLength": 1},
                "student_file": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*\.py$"},
                "framework": {"enum": list(FRAMEWORKS)},
                "points": _NUMBER,
                "hidden_visibility": {"enum": list(VISIBILITIES)},
            },
        },
        "limits": {
            "type": "object",
            "additionalProperties": False,
            # A limit whose default is 0 is off by default (``cpus``: no quota), so 0 is a value it may take.
            "properties": {f.name: _LIMIT[f.type] if f.default else {"type": "number", "minimum": 0}
                           for f in fields(Limits)},
        },
    },
}
_EXPECTED = {"string": "a string", "number": "a number", "integer": "a whole number", "object": "a table"}


class LabError(Exception):
    """A lab that cannot be found or whose lab.toml is invalid."""


@dataclass(frozen=True)
class Lab:
    name: str
    title: str
    student_file: str
    directory: Path
    framework: str = "numpy"
    points: float = 100.0
    limits: Limits = Limits()
    hidden_visibility: str = "after_published"
    root: Path = field(default=REPO_ROOT)

    @property
    def forbidden_imports(self) -> tuple[str, ...]:
        return AUTODIFF_PACKAGES if self.framework == "numpy" else ()

    @property
    def module(self) -> str:
        return Path(self.student_file).stem

    @property
    def public_tests(self) -> Path:
        return self.directory / "tests" / "public"

    @property
    def hidden_tests(self) -> Path:
        return self.directory / "tests" / "hidden"

    @property
    def mutants(self) -> Path:
        return self.directory / "mutants"

    @property
    def signatures(self) -> Path:
        """Each buggy variant's failures (``dlgrade validate --write-signatures``): names the hidden tests."""
        return self.directory / "signatures.json"

    @property
    def calibration(self) -> Path:
        """The measured distributions of the training tests (``dlgrade calibrate``): names the hidden tests."""
        return self.directory / "calibration.json"

    @property
    def instructions(self) -> Path:
        return self.directory / "instructions.md"

    @property
    def notebook_demos(self) -> Path:
        return self.directory / "demo.py"

    @property
    def probes(self) -> Path | None:
        path = self.directory / "probes.py"
        return path if path.exists() else None

    @property
    def substitutes(self) -> Path | None:
        """Correct versions of graded functions that a test puts in place of the submission's own
        while it judges another function (see ``Student.probe``). Kept with the hidden tests: they
        never ship to students, whose checks then run their own versions."""
        path = self.hidden_tests / f"_{self.name}_substitutes.py"
        return path if path.exists() else None

    @property
    def private_paths(self) -> tuple[Path, ...]:
        """What no student and no worker may read: the hidden tests, the buggy variants, their
        signatures, the calibration, the reference.

        The grader's package carries the hidden tests, the signatures and the calibration (and only those of
        these)."""
        return (self.hidden_tests, self.mutants, self.signatures, self.calibration, self.reference.parent)

    @property
    def reference(self) -> Path:
        return self.root / "reference_solutions" / self.name / self.student_file

    @property
    def template(self) -> Path:
        return self.root / "student_templates" / self.name / self.student_file

    @classmethod
    def load(cls, directory: Path, root: Path | None = None) -> Lab:
        path = directory / "lab.toml"
        try:
            data = tomllib.loads(path.read_text())
        except FileNotFoundError:
            raise LabError(f"no lab.toml in {directory}") from None
        except tomllib.TOMLDecodeError as exc:
            raise LabError(f"{path}: {exc}") from None
        if "imports" in data:
            raise LabError(f"{path}: [imports] is gone: every numpy lab forbids {', '.join(AUTODIFF_PACKAGES)}")
        problems = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.path))
        if problems:
            raise LabError(f"{path}: " + "; ".join(_explain(e) for e in problems))
        meta = data["lab"]
        return cls(
            name=meta["name"], title=meta["title"], student_file=meta["student_file"],
            directory=directory.resolve(), framework=meta.get("framework", "numpy"),
            points=float(meta.get("points", 100)), limits=Limits(**data.get("limits", {})),
            hidden_visibility=meta["hidden_visibility"],
            root=(root or REPO_ROOT).resolve(),
        )


def _explain(error: jsonschema.ValidationError) -> str:
    """One problem of a lab.toml, naming the key and what it should be."""
    parts = [str(part) for part in error.path]  # ["limits", "test_timeout"]: [limits] test_timeout
    where = " ".join([f"[{parts[0]}]", *parts[1:]]) if parts else "lab.toml"
    expected = error.validator_value
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema["properties"]))
        return f"{where} has unknown keys {unknown}; known: {sorted(error.schema['properties'])}"
    if error.validator == "required":
        return f"{where} lacks {', '.join(k for k in expected if k not in error.instance)}"
    if error.validator == "type":
        return f"{where} = {error.instance!r}: expected {_EXPECTED.get(expected, expected)}"
    if error.validator == "enum":
        return f"{where} = {error.instance!r}: expected one of {', '.join(map(repr, expected))}"
    if error.validator == "minLength":
        return f"{where} is empty"
    if error.validator == "exclusiveMinimum":
        return f"{where} = {error.instance!r}: expected a number above {expected}"
    if error.validator == "minimum":
        return f"{where} = {error.instance!r}: expected a number of at least {expected}"
    if error.validator == "pattern":
        return f"{where} = {error.instance!r}: expected a Python file name (a module name and .py)"
    return f"{where}: {error.message}"


def _roots() -> list[Path]:
    roots = [Path(p) for p in os.environ.get("DLGRADE_ROOT", "").split(os.pathsep) if p]
    return [*roots, Path.cwd(), REPO_ROOT]


def find_lab(name: str) -> Lab:
    """The lab ``name``: under ``<root>/assignments/``, or the current folder when it is that lab."""
    for root in _roots():
        here = root / "lab.toml"
        if here.exists():
            lab = Lab.load(root, root)
            if lab.name == name:
                return lab
        directory = root / "assignments" / name
        if (directory / "lab.toml").exists():
            return Lab.load(directory, root)
    known = ", ".join(list_labs()) or "none"
    raise LabError(f"no lab named '{name}' (labs here: {known})")


def list_labs() -> list[str]:
    """The labs of the first root that has any: its ``assignments/``, or the root itself (a student bundle)."""
    for root in _roots():
        if (root / "lab.toml").exists():
            return [Lab.load(root, root).name]
        folder = root / "assignments"
        if folder.is_dir():
            return sorted(p.name for p in folder.iterdir() if (p / "lab.toml").exists())
    return []
