"""What a lab's public test helpers may hold (docs/authoring.md, "Public and hidden helpers"): they ship
to students, so no oracle of a graded function; the oracles are the hidden side's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder.labs import find_lab, list_labs


def harness_functions(path: Path) -> set[str]:
    """A helper module's top-level functions, less those whose first parameter is ``student``: those
    call the submission (``conv_forward(student, ...)``) rather than compute its answer."""
    return {node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)
            and [a.arg for a in node.args.args[:1]] != ["student"]}


def student_names(reference: Path) -> set[str]:
    """The reference's top-level functions and classes: the API a student writes."""
    return {node.name for node in ast.parse(reference.read_text()).body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")}


def named_like(helper: str, api: set[str]) -> list[str]:
    """The student functions ``helper`` is named after: the same name, or a ``_``-bounded prefix of
    one (``sigmoid`` for sigmoid_forward, ``contrastive`` for contrastive_loss)."""
    return sorted(name for name in api if name == helper or name.startswith(helper + "_"))


@pytest.mark.parametrize("lab_name", list_labs())
def test_public_helpers_define_no_function_named_after_a_student_function(lab_name):
    lab = find_lab(lab_name)
    api = student_names(lab.reference)
    clashes = {f"{helper.name}: {name}": named_like(name, api)
               for helper in sorted(lab.public_tests.glob("_*.py")) for name in harness_functions(helper)}
    assert not {k: v for k, v in clashes.items() if v}, \
        "a public helper computes what a student function returns: move that oracle to tests/hidden/"


@pytest.mark.parametrize("lab_name", list_labs())
def test_public_tests_do_not_import_the_hidden_helpers(lab_name):
    lab = find_lab(lab_name)
    for path in sorted(lab.public_tests.glob("*.py")):
        modules = {node.module for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ImportFrom)}
        modules |= {alias.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Import)
                    for alias in node.names}
        hidden = sorted(m for m in modules if m and m.endswith("_hidden"))
        assert not hidden, f"{path.name} imports {hidden}, which students never get"


def test_the_name_rule_catches_an_oracle_named_after_its_function():
    api = {"sigmoid_forward", "contrastive_loss", "pairwise_distances", "FullyConnectedNet"}
    assert named_like("sigmoid", api) == ["sigmoid_forward"]
    assert named_like("contrastive_loss", api) == ["contrastive_loss"]
    assert named_like("distances", api) == []
    assert named_like("sigmoid_f", api) == []
