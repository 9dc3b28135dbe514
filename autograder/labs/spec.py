"""A lab's spec (lab.toml) and the locations of its parts.

The same layout serves the repository, the student bundle and the autograder package: a lab is a
folder with ``lab.toml`` and ``tests/public`` (plus ``tests/hidden`` on the grader's side).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from autograder.sandbox.limits import Limits

REPO_ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("numpy", "torch")
# A numpy lab is about writing the gradients by hand: no package that computes them may be imported.
# One list for every numpy lab, so that no lab forgets one.
AUTODIFF_PACKAGES = ("torch", "jax", "jaxlib", "tensorflow", "autograd", "keras", "mxnet", "cupy")


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
    def private_paths(self) -> tuple[Path, ...]:
        """What no student and no worker may read: the hidden tests, the buggy variants, the reference.

        The grader's package carries the hidden tests (and only those of these)."""
        return (self.hidden_tests, self.mutants, self.reference.parent)

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
        meta = data.get("lab", {})
        missing = [key for key in ("name", "title", "student_file") if key not in meta]
        if missing:
            raise LabError(f"{path}: [lab] lacks {', '.join(missing)}")
        if meta.get("framework", "numpy") not in FRAMEWORKS:
            raise LabError(f"{path}: framework must be one of {FRAMEWORKS}")
        known = {f.name for f in fields(Limits)}
        unknown = set(data.get("limits", {})) - known
        if unknown:
            raise LabError(f"{path}: unknown [limits] keys {sorted(unknown)}; known: {sorted(known)}")
        if "imports" in data:
            raise LabError(f"{path}: [imports] is gone: every numpy lab forbids {', '.join(AUTODIFF_PACKAGES)}")
        return cls(
            name=meta["name"], title=meta["title"], student_file=meta["student_file"],
            directory=directory.resolve(), framework=meta.get("framework", "numpy"),
            points=float(meta.get("points", 100)), limits=Limits(**data.get("limits", {})),
            hidden_visibility=meta.get("hidden_visibility", "after_published"),
            root=(root or REPO_ROOT).resolve(),
        )


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
    for root in _roots():
        folder = root / "assignments"
        if folder.is_dir():
            return sorted(p.name for p in folder.iterdir() if (p / "lab.toml").exists())
    return []
