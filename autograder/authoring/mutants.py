"""Buggy variants of a lab's reference solution, one per file of ``assignments/<lab>/mutants/``.

A mutant file is either a patch of the reference, a top-level ``PATCH = [(old, new), ...]`` of
string literals applied in order (each ``old`` must then occur exactly once), or redefinitions that are
appended to the reference (later definitions win). A PATCH file is read with ``ast``, never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.labs import Lab

Patch = list[tuple[str, str]]


class MutantError(ValueError):
    """A mutant file that cannot be turned into a buggy variant of its reference."""


def mutant_files(lab: Lab) -> list[Path]:
    return sorted(p for p in lab.mutants.glob("*.py") if not p.name.startswith("_")) if lab.mutants.is_dir() else []


def read_patch(mutant: Path) -> Patch | None:
    """The mutant's ``PATCH`` as (old, new) pairs, or None when it has none (a redefinition mutant)."""
    for node in ast.parse(mutant.read_text(), filename=str(mutant)).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PATCH" for t in node.targets):
            try:
                pairs = ast.literal_eval(node.value)
            except ValueError as exc:
                raise MutantError(f"{mutant}: PATCH must be a literal list of (old, new) strings ({exc})") from None
            if not _is_pairs(pairs):
                raise MutantError(f"{mutant}: PATCH must be a non-empty list of (old, new) string pairs")
            return list(pairs)
    return None


def _is_pairs(value: object) -> bool:
    return isinstance(value, list | tuple) and bool(value) and all(
        isinstance(p, tuple) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in value
    )


def apply_patch(source: str, patch: Patch, mutant: Path) -> str:
    """``source`` with each pair's ``old`` replaced by its ``new``, in order; each old must occur once."""
    for old, new in patch:
        count = source.count(old)
        if count != 1:
            where = "not found in" if count == 0 else f"found {count} times in"
            raise MutantError(f"{mutant}: PATCH text {old!r} {where} the reference (it must occur exactly once)")
        source = source.replace(old, new)
    return source


def mutant_source(lab: Lab, mutant: Path) -> str:
    """The text of the buggy variant: the patched reference, or the reference with the mutant appended."""
    reference = lab.reference.read_text()
    patch = read_patch(mutant)
    if patch is not None:
        return apply_patch(reference, patch, mutant)
    return f"{reference.rstrip()}\n\n\n# ---- mutant: {mutant.name} ----\n{mutant.read_text()}"


def build_mutant(lab: Lab, mutant: Path, out_dir: Path) -> Path:
    path = out_dir / mutant.stem / lab.student_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(mutant_source(lab, mutant))
    return path


def describe(mutant: Path) -> str:
    doc = ast.get_docstring(ast.parse(mutant.read_text())) or mutant.stem
    return doc.strip().splitlines()[0]
