"""Buggy variants: the reference with one mutant file's redefinitions appended."""

from __future__ import annotations

from pathlib import Path

from autograder.labs import Lab


def mutant_files(lab: Lab) -> list[Path]:
    return sorted(p for p in lab.mutants.glob("*.py") if not p.name.startswith("_")) if lab.mutants.is_dir() else []


def build_mutant(lab: Lab, mutant: Path, out_dir: Path) -> Path:
    source = lab.reference.read_text().rstrip("\n")
    path = out_dir / mutant.stem / lab.student_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{source}\n\n\n# ---- mutant: {mutant.name} ----\n{mutant.read_text()}")
    return path


def describe(mutant: Path) -> str:
    import ast

    doc = ast.get_docstring(ast.parse(mutant.read_text())) or mutant.stem
    return doc.strip().splitlines()[0]
