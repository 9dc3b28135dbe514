"""The command line: exit codes and messages a person can act on."""

import argparse
import io
import json
import re
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest
from rich.console import Console

import autograder
from autograder.cli import build_parser, main
from autograder.grading.outcomes import GradeReport
from autograder.labs import Lab, LabError, find_lab, list_labs
from autograder.labs.spec import SCHEMA
from autograder.sandbox.limits import Limits

REPO = Path(__file__).resolve().parents[1]


def test_grade_exit_zero_and_results_whatever_the_score(backprop, tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main(["grade", "backprop", str(backprop.template), "--out", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["score"] == 0


def test_unknown_lab_is_a_clear_error(capsys):
    assert main(["check", "no_such_lab", "x.py"]) == 2
    assert "no lab named 'no_such_lab'" in capsys.readouterr().out


def test_check_without_file_says_where_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "backprop"]) == 2
    assert "no " in capsys.readouterr().out


def test_templates_check_passes_on_committed_templates():
    assert main(["templates", "--check", "backprop"]) == 0


# -- check: exit status as pytest's, -k ------------------------------------------------------------

def test_check_exits_1_on_a_failure_and_groups_what_is_not_written(backprop, capsys):
    assert main(["check", "backprop", str(backprop.template)]) == 1
    out = capsys.readouterr().out
    assert "not implemented yet: affine_forward," in out
    assert "smallest failing input" not in out and "\n    ok" not in out


def test_check_exits_0_when_every_selected_test_passes(backprop, capsys):
    assert main(["check", "backprop", str(backprop.reference), "-k", "affine_forward", "-k", "FullyConnectedNet"]) == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if line and not line.startswith(" ")]
    # a class selects its methods; nothing else runs
    assert {"affine_forward", "FullyConnectedNet.loss"} <= set(headings)
    assert not {"affine_backward", "softmax_loss"} & set(headings)


def test_check_of_an_unknown_function_names_the_known_ones(backprop, capsys):
    assert main(["check", "backprop", str(backprop.reference), "-k", "afine_forward"]) == 2
    out = capsys.readouterr().out
    assert "no public tests of afine_forward" in out and "affine_forward" in out.split("functions with tests")[1]


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2


# -- version, list, help, release, validate ----------------------------------------------------------

def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"dlgrade {autograder.__version__}"


def test_list_shows_every_lab_with_framework_and_points(capsys):
    assert main(["list"]) == 0
    rows = {line.split()[0]: line.split()[1:3] for line in capsys.readouterr().out.splitlines()[1:]
            if line and not line.startswith(" ")}
    assert rows == {name: [find_lab(name).framework, "100"] for name in list_labs()}


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_argument_and_option_has_help():
    parser = build_parser()
    undocumented = [f"{name} {action.dest}" for name, sub in {"": parser, **subcommands(parser)}.items()
                    for action in sub._actions if not action.help]
    assert not undocumented


def test_release_takes_several_labs(tmp_path, capsys):
    assert main(["release", "backprop", "optimizers", "--out", str(tmp_path)]) == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.zip")) == [
        "backprop/autograder.zip", "backprop/student.zip", "optimizers/autograder.zip", "optimizers/student.zip"]


def test_validate_reports_each_grading_as_it_finishes(backprop, monkeypatch):
    from autograder.authoring import validate

    monkeypatch.setattr(validate, "_run", lambda job: GradeReport(lab=job.lab, submission=job.path))
    done: list[str] = []
    validate.validate_many([backprop], runs=2, on_done=done.append)
    mutants = [f"backprop mutant {m.stem}" for m in validate.mutant_files(backprop)]
    assert done == ["backprop reference 1", "backprop reference 2", "backprop template", *mutants]


def test_validate_shows_progress_on_stderr(backprop, monkeypatch):
    from autograder import cli
    from autograder.authoring import validate

    seen = io.StringIO()
    monkeypatch.setattr(cli, "progress_console", Console(file=seen, force_terminal=True, width=80))
    monkeypatch.setattr(validate, "_run", lambda job: GradeReport(lab=job.lab, submission=job.path))
    assert main(["validate", "backprop", "--runs", "1"]) == 1  # empty reports: nothing adds up
    assert "gradings done, last: backprop" in seen.getvalue()


# -- a broken lab, lab.toml ------------------------------------------------------------------------

def write_lab(folder: Path, toml: str, test: str = "") -> Path:
    (folder / "tests" / "public").mkdir(parents=True)
    (folder / "lab.toml").write_text(toml)
    (folder / "tests" / "public" / "test_mini.py").write_text(test)
    (folder / "mini.py").write_text("def f():\n    return 1\n")
    return folder


MINI_WITHOUT_VISIBILITY = '[lab]\nname = "mini"\ntitle = "A mini lab"\nstudent_file = "mini.py"\n'
MINI = MINI_WITHOUT_VISIBILITY + 'hidden_visibility = "visible"\n'


def test_a_test_without_graded_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    write_lab(tmp_path, MINI, "def test_f(student):\n    assert student.f() == 1\n")
    monkeypatch.setenv("DLGRADE_ROOT", str(tmp_path))
    assert main(["check", "mini", str(tmp_path / "mini.py"), "--sandbox", "none"]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "has no @graded(points=...)" in out and "test_f" in out


@pytest.mark.parametrize(("extra", "says"), [
    ('points = "100"\n', "[lab] points = '100': expected a number"),
    ('hidden_visibility = "after_due"\n', "[lab] hidden_visibility = 'after_due': expected one of 'hidden', "
                                          "'after_due_date', 'after_published', 'visible'"),
    ('framework = "jax"\n', "[lab] framework = 'jax': expected one of 'numpy', 'torch'"),
    ('pionts = 100\n', "[lab] has unknown keys ['pionts']"),
    ('[limits]\ntest_timeout = "fast"\n', "[limits] test_timeout = 'fast': expected a number"),
    ('[limits]\nmemory_mb = 1.5\n', "[limits] memory_mb = 1.5: expected a whole number"),
    ('[limits]\ntest_timeout = 0\n', "[limits] test_timeout = 0: expected a number above 0"),
    ('[limits]\ntimeout = 3\n', "[limits] has unknown keys ['timeout']; known: ['cpu_seconds'"),
    ('[lmits]\n', "lab.toml has unknown keys ['lmits']"),
])
def test_lab_toml_errors_name_the_key_and_what_is_expected(tmp_path, extra, says):
    write_lab(tmp_path, (MINI_WITHOUT_VISIBILITY if extra.startswith("hidden_visibility") else MINI) + extra)
    with pytest.raises(LabError) as exc:
        Lab.load(tmp_path)
    assert says in str(exc.value)


def test_lab_toml_without_a_required_key(tmp_path, monkeypatch, capsys):
    write_lab(tmp_path, MINI.replace('title = "A mini lab"\n', ""))
    monkeypatch.setenv("DLGRADE_ROOT", str(tmp_path))
    assert main(["check", "mini"]) == 2
    assert "[lab] lacks title" in capsys.readouterr().out  # printed as text, not as rich markup


def test_lab_toml_must_choose_when_the_hidden_tests_show(tmp_path):
    write_lab(tmp_path, MINI_WITHOUT_VISIBILITY)
    with pytest.raises(LabError, match=r"\[lab\] lacks hidden_visibility"):
        Lab.load(tmp_path)


def test_docs_show_every_lab_toml_key_with_the_defaults_of_limits():
    section = (REPO / "docs" / "authoring.md").read_text().split("## lab.toml")[1]
    example = tomllib.loads(section.split("```toml\n")[1].split("```")[0])
    assert {table: set(keys) for table, keys in example.items()} == {
        table: set(spec["properties"]) for table, spec in SCHEMA["properties"].items()}
    assert example["limits"] == asdict(Limits())


# -- the student bundle ----------------------------------------------------------------------------

def test_student_bundle_offers_only_the_students_commands(monkeypatch, capsys):
    monkeypatch.setenv("DLGRADE_STUDENT", "1")
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert re.findall(r"^    (\w+)\b", help_text, re.MULTILINE) == ["check", "list"] and "--version" in help_text
    for verb in ("validate", "release", "batch", "report", "templates", "notebook", "grade"):
        assert main([verb, "--out", "x"]) == 2
        assert capsys.readouterr().out == (f"'{verb}' is not available in the student bundle: use check or list\n")


def test_a_torch_lab_check_says_each_test_as_it_ends(capsys):
    """A torch lab's check takes seconds per test: each one is named on stderr as it ends, a numpy lab's not."""
    gan = find_lab("gan")
    assert main(["check", "gan", str(gan.reference), "-k", "sample_noise"]) == 0
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("  ok ")]
    assert lines and all(line.rstrip().endswith(" s)") for line in lines)
    numpy_lab = find_lab("backprop")
    assert main(["check", "backprop", str(numpy_lab.reference), "-k", "relu_forward"]) == 0
    assert "  ok " not in capsys.readouterr().err
