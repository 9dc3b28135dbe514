"""The command line: exit codes and messages a person can act on."""

import json

from autograder.cli import main


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
