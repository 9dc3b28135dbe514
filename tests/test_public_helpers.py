"""What a lab's public test helpers may hold (docs/authoring.md, "Public and hidden helpers"): they ship
to students, so no oracle of a graded function; the oracles are the hidden side's, and so are the
correct versions a probe puts in place of the student's (``tests/hidden/_<lab>_substitutes.py``)."""

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


def defined_names(source: str) -> set[str]:
    """Every function and class ``source`` defines, at any depth."""
    return {node.name for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def substitute_clashes(shipped: dict[str, str], substitutes: str) -> list[str]:
    """"file: name" for each definition in the ``shipped`` sources (by file name) named like one of the
    correct versions ``substitutes`` defines, with or without leading underscores."""
    graded = {node.name for node in ast.parse(substitutes).body
              if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")}
    return sorted(f"{file}: {name}" for file, source in shipped.items() for name in defined_names(source)
                  if named_like(name.lstrip("_"), graded))


@pytest.mark.parametrize("lab_name", [name for name in list_labs() if find_lab(name).substitutes])
def test_shipped_files_define_nothing_named_like_a_substitute(lab_name):
    lab = find_lab(lab_name)
    paths = [*([lab.probes] if lab.probes else []), *sorted(lab.public_tests.glob("*.py"))]
    clashes = substitute_clashes({p.name: p.read_text() for p in paths}, lab.substitutes.read_text())
    assert not clashes, f"{clashes}: a correct version of a graded function ships to students; keep it in " \
                        f"tests/hidden/_{lab_name}_substitutes.py only"


def test_the_substitute_rule_catches_a_correct_version_in_the_probes():
    substitutes = "def contrastive_loss(a):\n    ...\nclass SiameseNet:\n    ...\ndef _masks(x):\n    ...\n"
    probes = "def _contrastive(a):\n    ...\ndef call(m):\n    class SiameseNet:\n        ...\ndef masks(x):\n    ...\n"
    clashes = substitute_clashes({"probes.py": probes}, substitutes)
    assert clashes == ["probes.py: SiameseNet", "probes.py: _contrastive"]


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
