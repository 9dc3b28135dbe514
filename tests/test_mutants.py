"""Buggy variants: PATCH mutants are applied to the reference without being run, redefinitions appended."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder.authoring.mutants import MutantError, build_mutant, describe, mutant_files, mutant_source
from autograder.labs import Lab, find_lab, list_labs

REFERENCE = '''def add_one(x):
    return x + 1


def double(x):
    return 2 * x
'''


@pytest.fixture
def toy(tmp_path: Path) -> Lab:
    """A lab of two functions, with an empty mutants folder."""
    lab = Lab(name="toy", title="Toy", student_file="toy.py", directory=tmp_path / "assignments" / "toy", root=tmp_path)
    lab.reference.parent.mkdir(parents=True)
    lab.reference.write_text(REFERENCE)
    lab.mutants.mkdir(parents=True)
    return lab


def _mutant(lab: Lab, name: str, text: str) -> Path:
    path = lab.mutants / f"{name}.py"
    path.write_text(text)
    return path


def _run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "mutant", "exec"), namespace)
    return namespace


def test_patch_mutant_is_the_patched_reference(toy, tmp_path):
    mutant = _mutant(toy, "off_by_two", '"""add_one subtracts."""\n\nPATCH = [("x + 1", "x - 1")]\n')
    built = build_mutant(toy, mutant, tmp_path / "out")
    assert built.read_text() == REFERENCE.replace("x + 1", "x - 1")
    namespace = _run(built.read_text())
    assert namespace["add_one"](1) == 0 and namespace["double"](3) == 6
    assert describe(mutant) == "add_one subtracts."


def test_pairs_apply_in_order(toy):
    mutant = _mutant(toy, "both", 'PATCH = [\n    ("x + 1", "x + 10"),\n    ("x + 10", "x + 100"),\n]\n')
    assert _run(mutant_source(toy, mutant))["add_one"](0) == 100


def test_mutant_without_patch_is_appended_and_wins(toy):
    mutant = _mutant(toy, "double_triples", '"""double triples."""\n\n\ndef double(x):\n    return 3 * x\n')
    namespace = _run(mutant_source(toy, mutant))
    assert namespace["double"](2) == 6 and namespace["add_one"](1) == 2


@pytest.mark.parametrize(("old", "problem"), [("x * 3", "not found in"), ("return", "found 2 times in")])
def test_patch_text_must_occur_exactly_once(toy, tmp_path, old, problem):
    mutant = _mutant(toy, "bad", f'PATCH = [({old!r}, "pass")]\n')
    with pytest.raises(ValueError) as info:
        build_mutant(toy, mutant, tmp_path / "out")
    assert isinstance(info.value, MutantError)
    assert str(mutant) in str(info.value) and repr(old) in str(info.value) and problem in str(info.value)


@pytest.mark.parametrize("patch", ["[]", '[("x + 1",)]', '[("x + 1", 2)]', '"x + 1"', "make_patch()"])
def test_patch_must_be_literal_string_pairs(toy, patch):
    mutant = _mutant(toy, "malformed", f"PATCH = {patch}\n")
    with pytest.raises(MutantError, match="malformed.py"):
        mutant_source(toy, mutant)


def test_patch_mutant_file_is_never_run(toy, tmp_path):
    marker = tmp_path / "ran"
    mutant = _mutant(toy, "hostile", f'PATCH = [("2 * x", "2 + x")]\nopen({str(marker)!r}, "w")\nraise SystemExit(1)\n')
    built = build_mutant(toy, mutant, tmp_path / "out")
    assert _run(built.read_text())["double"](3) == 5
    assert not marker.exists()


@pytest.mark.parametrize("name", list_labs())
def test_every_mutant_of_every_lab_builds(name):
    lab = find_lab(name)
    reference = lab.reference.read_text()
    assert mutant_files(lab)
    for mutant in mutant_files(lab):
        assert ast.get_docstring(ast.parse(mutant.read_text())), f"{mutant} has no docstring describing its bug"
        source = mutant_source(lab, mutant)
        assert source != reference, f"{mutant} changes nothing"
        compile(source, str(mutant), "exec")
