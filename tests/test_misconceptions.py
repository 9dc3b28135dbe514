"""Known mistakes: every lab's signatures are fresh, each mutant's own failures name it, and a graded
submission's feedback names its mistake without naming a hidden test; what the hidden tests show."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from autograder.authoring import validate
from autograder.authoring.mutants import describe, mutant_files, mutant_source
from autograder.authoring.signatures import stale
from autograder.grading.misconceptions import THRESHOLD, KnownMistake, best_match, load
from autograder.grading.outcomes import GradeReport
from autograder.grading.outcomes import TestOutcome as Outcome  # not "Test...": pytest would collect it
from autograder.grading.results import HIDDEN_SHOWN, check_schema, to_results
from autograder.labs import find_lab, list_labs
from autograder.release.build import student_readme
from tests.conftest import grade_source

LABS = list_labs()


def known(name: str, *pairs: tuple[str, str]) -> KnownMistake:
    return KnownMistake(name, f"the {name} mistake", frozenset(pairs))


A, B, C, D = (("t::a", "mismatch"), ("t::b", "mismatch"), ("t::c", "error"), ("t::d", "check"))


@pytest.mark.parametrize("name", LABS)
def test_signatures_are_committed_for_every_lab_and_fresh(name):
    lab = find_lab(name)
    assert stale(lab) is None, f"run `dlgrade validate --write-signatures {name}`"
    assert [k.mutant for k in load(lab.signatures)] == [p.stem for p in mutant_files(lab)]


@pytest.mark.parametrize("name", LABS)
def test_each_mutants_own_failures_name_it_and_only_the_mutants_that_fail_alike(name):
    lab = find_lab(name)
    mistakes = load(lab.signatures)
    descriptions = {p.stem: describe(p) for p in mutant_files(lab)}
    for mistake in mistakes:
        alike = [k.mutant for k in mistakes if k.signature == mistake.signature]  # itself included, by name
        match = best_match(mistake.signature, mistakes)
        assert match is not None and [m.mutant for m in match.mistakes] == alike, mistake.mutant
        assert match.similarity == 1.0
        assert match.data()["description"] == "; or ".join(descriptions[m] for m in alike)


def test_validate_fails_without_signatures_says_how_and_writes_them(backprop, tmp_path, monkeypatch):
    folder = tmp_path / "backprop"
    shutil.copytree(backprop.directory, folder, ignore=shutil.ignore_patterns("signatures.json", "__pycache__"))
    lab = dataclasses.replace(backprop, directory=folder)
    monkeypatch.setattr(validate, "_run", lambda job: GradeReport(lab=job.lab, submission=job.path))

    def signatures_check(**kwargs) -> validate.Check:
        [result] = validate.validate_many([lab], runs=1, **kwargs)
        return next(c for c in result.checks if c.what.startswith("signatures.json"))

    missing = signatures_check()
    assert not missing.ok and "missing: run `dlgrade validate --write-signatures backprop`" in missing.detail
    assert stale(lab) == "signatures.json is missing"
    written = signatures_check(write_signatures=True)
    assert written.ok and signatures_check().ok and stale(lab) is None
    # these empty reports fail alike: validation says which mutants feedback cannot tell apart
    assert "same failures, named together: affine_db_not_summed = affine_dx_not_reshaped = " in written.detail
    (folder / "tests" / "public" / "test_layers.py").write_text("# changed\n")
    assert stale(lab) == "signatures.json is stale: the tests changed since it was written"


def name_of(failures: set, mistakes: list[KnownMistake]) -> list[str] | None:
    match = best_match(frozenset(failures), mistakes)
    return match and [m.mutant for m in match.mistakes]


def test_the_closest_mistake_above_the_threshold_is_named():
    mistakes = [known("one", A, B), known("two", C, D)]
    assert name_of({A, B, C}, mistakes) == ["one"]  # 2/3 against 1/4
    assert name_of({A}, mistakes) is None  # 1/2: below the threshold
    assert THRESHOLD > 0.5


def test_a_kind_of_failure_is_part_of_the_signature():
    assert name_of({("t::a", "timeout"), B}, [known("one", A, B)]) is None


def test_equally_close_mistakes_the_first_by_name_wins():
    assert name_of({A, B}, [known("zeta", A, B, C), known("alpha", A, B, D)]) == ["alpha"]


def test_mistakes_with_the_same_failures_are_named_together():
    mistakes = [known("two", A, B), known("one", A, B), known("three", A, C)]
    assert name_of({A, B}, mistakes) == ["one", "two"]
    assert name_of({A, C}, mistakes) == ["three"]
    match = best_match(frozenset({A, B}), mistakes)
    assert match.note() == ("this pattern of failures matches known mistakes the tests cannot tell apart: "
                            "the one mistake; or the two mistake")
    assert match.data() == {"mutant": "one", "description": "the one mistake; or the two mistake",
                            "similarity": 1.0, "alike": ["two"]}


def test_no_failure_names_no_mistake():
    assert best_match(frozenset(), [known("one", A)]) is None


# -- end to end: one backprop mutant graded as a student's submission -------------------------------------
MUTANT = "mse_divides_by_size"


@pytest.fixture(scope="module")
def graded_mutant(backprop, tmp_path_factory) -> GradeReport:
    source = mutant_source(backprop, backprop.mutants / f"{MUTANT}.py")
    return grade_source(backprop, source, tmp_path_factory.mktemp("mutant"))


def test_a_graded_mutant_is_told_its_mistake_without_its_hidden_tests(backprop, graded_mutant):
    description = describe(backprop.mutants / f"{MUTANT}.py")
    notes = [n for n in graded_mutant.notes if "known mistake" in n]
    assert notes == [f"this pattern of failures matches a known mistake: {description}"]
    assert graded_mutant.extra["misconception"] == {"mutant": MUTANT, "description": description, "similarity": 1.0}
    hidden = [t for t in graded_mutant.tests if t.visibility == "hidden"]
    assert any(not t.passed for t in hidden)  # the mutant fails hidden tests, and the note names none of them
    assert not [t for t in hidden if t.nodeid in notes[0] or t.title in notes[0] or t.name in notes[0]]
    data = to_results(graded_mutant, backprop.hidden_visibility)
    check_schema(data)
    assert notes[0] in data["output"] and data["extra_data"]["misconception"]["mutant"] == MUTANT


def test_a_partial_grading_names_no_mistake(backprop, tmp_path):
    source = mutant_source(backprop, backprop.mutants / f"{MUTANT}.py")
    report = grade_source(backprop, source, tmp_path, hidden=False)
    assert any(not t.passed for t in report.tests) and "misconception" not in report.extra
    assert not [n for n in report.notes if "known mistake" in n]


# -- what a student sees of the hidden tests -----------------------------------------------------------------
def _report() -> GradeReport:
    tests = [Outcome("p::a", "a", "f", 4, "public", True),
             Outcome("h::b", "secret case b", "f", 6, "hidden", False, "f: values differ", "mismatch")]
    return GradeReport(lab="lab", submission="s.py", tests=tests)


@pytest.mark.parametrize("visibility", ["hidden", "after_due_date", "after_published"])
def test_until_the_hidden_tests_show_only_their_share_of_the_score_does(visibility):
    data = to_results(_report(), visibility)
    assert data["score"] == 4  # the grade: hidden tests included, shown at once
    shown = HIDDEN_SHOWN[visibility]
    assert data["output"] == f"lab: 4 / 10\nof which the hidden tests: 0 / 6 (their details are shown {shown})"
    hidden = data["tests"][1]
    assert hidden["visibility"] == visibility and "secret case b" not in data["output"]


def test_visible_hidden_tests_need_no_explanation():
    data = to_results(_report(), "visible")
    assert data["output"] == "lab: 4 / 10" and {t["visibility"] for t in data["tests"]} == {"visible"}


@pytest.mark.parametrize("name", LABS)
def test_the_student_readme_says_when_the_hidden_tests_show(name):
    lab = find_lab(name)
    assert f"is shown {HIDDEN_SHOWN[lab.hidden_visibility]}." in " ".join(student_readme(lab).split())
