"""The grading engine on the backprop lab: scores, messages and robustness to broken submissions."""

from __future__ import annotations

import dataclasses
import json
import time
import zipfile

import pytest

from autograder.authoring.mutants import mutant_source
from autograder.grading.pipeline import NOT_GRADED, GradingOptions, grade
from autograder.grading.results import check_schema, to_results
from autograder.reports.results_file import write_results
from tests.conftest import grade_source, public_points


@pytest.fixture(scope="module")
def reference_source(backprop) -> str:
    return backprop.reference.read_text()


def with_patch(reference: str, patch: str) -> str:
    return reference + "\n\n" + patch


def by_function(report, name):
    return [t for t in report.tests if t.function == name]


def test_reference_full_marks_and_valid_results(backprop, tmp_path):
    report = grade(backprop, backprop.reference)
    assert report.score == report.max_score == 100
    data = to_results(report)
    write_results(tmp_path / "results.json", data)
    check_schema(json.loads((tmp_path / "results.json").read_text()))
    assert data["score"] == 100 and all(t["status"] == "passed" for t in data["tests"])
    visibilities = {t["visibility"] for t in data["tests"]}
    assert visibilities == {"visible", "after_published"}


def test_grading_is_deterministic(backprop, tmp_path):
    source = mutant_source(backprop, backprop.mutants / "softmax_grad_not_averaged.py")
    first = grade_source(backprop, source, tmp_path)
    second = grade_source(backprop, source, tmp_path)
    strip = lambda r: [(t["name"], t["score"], t["output"]) for t in to_results(r)["tests"]]  # noqa: E731
    assert strip(first) == strip(second)
    assert first.score < 100


def test_template_reads_not_implemented(backprop):
    report = grade(backprop, backprop.template, GradingOptions(hidden=False))
    assert report.score == 0
    assert all(t.kind == "not_implemented" and "not implemented yet" in t.message for t in report.tests)


def test_syntax_error_fails_every_test_with_the_line(backprop, tmp_path, reference_source):
    report = grade_source(backprop, reference_source + "\ndef broken(:\n", tmp_path, hidden=False)
    assert report.score == 0 and len(report.tests) > 5
    assert all("could not be imported" in t.message and "SyntaxError" in t.message for t in report.tests)
    assert "backprop.py:" in report.tests[0].message


def test_missing_function_fails_only_its_tests(backprop, tmp_path, reference_source):
    report = grade_source(backprop, reference_source + "\ndel mse_loss\n", tmp_path, hidden=False)
    mse = by_function(report, "mse_loss")
    assert mse and all(not t.passed and "no attribute 'mse_loss'" in t.message for t in mse)
    assert report.score == public_points() - sum(t.max_score for t in mse)


def test_wrong_shape_is_named(backprop, tmp_path, reference_source):
    patch = "def relu_forward(x):\n    return np.maximum(x, 0).ravel(), x\n"
    report = grade_source(backprop, with_patch(reference_source, patch), tmp_path, hidden=False)
    relu = by_function(report, "relu_forward")
    assert relu and any(not t.passed and "expected shape" in t.message for t in relu)
    assert all(t.passed for t in by_function(report, "relu_backward"))  # blame stays with relu_forward


def test_numpy_patched_at_import_gains_nothing(backprop, tmp_path):
    buggy = mutant_source(backprop, backprop.mutants / "svm_counts_correct_class.py")
    honest = grade_source(backprop, buggy, tmp_path)
    cheat = ("import numpy\nnumpy.allclose = lambda *a, **k: True\n"
             "numpy.testing.assert_allclose = lambda *a, **k: None\n")
    cheating = grade_source(backprop, with_patch(buggy, cheat), tmp_path)
    assert cheating.score <= honest.score < 100


@pytest.mark.parametrize("exit_line", ["import os\nos._exit(0)\n", "import sys\nsys.exit(0)\n"])
def test_exit_at_import_fails_cleanly(backprop, tmp_path, reference_source, exit_line):
    report = grade_source(backprop, with_patch(reference_source, exit_line), tmp_path, hidden=False)
    assert report.score == 0
    assert all("could not be imported" in t.message for t in report.tests)


def test_exit_inside_a_function_costs_only_that_function(backprop, tmp_path, reference_source):
    patch = "def mse_loss(pred, target):\n    import os\n    os._exit(3)\n"
    report = grade_source(backprop, with_patch(reference_source, patch), tmp_path, hidden=False)
    mse = by_function(report, "mse_loss")
    assert mse and all(t.kind == "crash" and "exited with status 3" in t.message for t in mse)
    assert report.score == public_points() - sum(t.max_score for t in mse)
    patch = "def mse_loss(pred, target):\n    raise SystemExit(4)\n"
    report = grade_source(backprop, with_patch(reference_source, patch), tmp_path, hidden=False)
    mse = by_function(report, "mse_loss")
    assert all("sys.exit(4)" in t.message for t in mse)
    assert report.score == public_points() - sum(t.max_score for t in mse)


def test_infinite_loop_times_out_and_the_rest_goes_on(backprop, tmp_path, reference_source):
    lab = dataclasses.replace(backprop, limits=dataclasses.replace(backprop.limits, test_timeout=1.5))
    patch = "def svm_loss(x, y):\n    while True:\n        pass\n"
    started = time.monotonic()
    report = grade_source(lab, with_patch(reference_source, patch), tmp_path, hidden=False)
    assert time.monotonic() - started < 15
    svm = by_function(report, "svm_loss")
    assert svm and all(t.kind == "timeout" and "did not finish within 1.5 s" in t.message for t in svm)
    assert report.score == public_points() - sum(t.max_score for t in svm)


def test_output_is_captured_per_test_and_capped(backprop, tmp_path, reference_source):
    patch = ("_mse = mse_loss\n"
             "def mse_loss(pred, target):\n    print('x' * 100000)\n    return _mse(pred, target)\n")
    report = grade_source(backprop, with_patch(reference_source, patch), tmp_path, hidden=False)
    mse = by_function(report, "mse_loss")
    assert mse and all(t.passed and "more bytes of output not shown" in t.output for t in mse)
    assert all(len(t.output) < backprop.limits.output_bytes + 200 for t in mse)
    assert all(not t.output for t in report.tests if t.function != "mse_loss")


def test_forbidden_import_is_refused_before_running(backprop, tmp_path, reference_source):
    report = grade_source(backprop, "import torch\n" + reference_source, tmp_path, hidden=False)
    assert report.score == 0
    assert all("refused import" in t.message and "torch" in t.message for t in report.tests)


def test_public_feedback_shows_values_hidden_feedback_does_not(backprop, tmp_path):
    report = grade_source(backprop, mutant_source(backprop, backprop.mutants / "mse_divides_by_size.py"), tmp_path)
    failed = [t for t in report.tests if t.function == "mse_loss" and not t.passed and t.kind == "mismatch"]
    public = [t for t in failed if t.visibility == "public"]
    hidden = [t for t in failed if t.visibility == "hidden"]
    assert public and hidden
    assert "expected" in public[0].message and "smallest failing input" in public[0].message
    assert "worst at index" not in hidden[0].message and "smallest failing input" not in hidden[0].message
    assert "relative error" in hidden[0].message


@pytest.mark.parametrize("form", ["dir", "zip", "renamed"])
def test_submission_forms(backprop, tmp_path, form):
    src = backprop.reference
    if form == "dir":
        (tmp_path / "sub" / "nested").mkdir(parents=True)
        (tmp_path / "sub" / "nested" / "backprop.py").write_text(src.read_text())
        target = tmp_path / "sub"
    elif form == "zip":
        target = tmp_path / "sub.zip"
        with zipfile.ZipFile(target, "w") as zf:
            zf.write(src, "work/backprop.py")
    else:
        target = tmp_path / "my_homework_v2.py"
        target.write_text(src.read_text())
    assert grade(backprop, target, GradingOptions(hidden=False)).score == public_points()


@pytest.mark.parametrize("content,message", [(b"not a zip", "sub.zip is not a readable zip"),
                                             (None, "nothing to grade: no backprop.py")])
def test_bad_zip_gets_a_message_and_a_zero(backprop, tmp_path, content, message):
    target = tmp_path / "sub.zip"
    if content is None:
        with zipfile.ZipFile(target, "w") as zf:
            zf.writestr("notes.txt", "x = 1")
    else:
        target.write_bytes(content)
    report = grade(backprop, target)
    assert report.score == 0 and report.max_score == 100
    assert len(report.notes) == 1 and message in report.notes[0]  # said once, not once per test
    assert all(t.message == NOT_GRADED for t in report.tests)
    check_schema(to_results(report))
