"""The terminal report reads at 80 columns: nothing cut, nothing repeated, every line in the width."""

from __future__ import annotations

from rich.console import Console

from autograder.failures import Kind
from autograder.grading.outcomes import GradeReport
from autograder.grading.outcomes import TestOutcome as Outcome  # not a test class
from autograder.reports.console import render

LONG_TITLE = ("a three-hidden-layer net with regularisation and dropout: scores, loss and gradients "
              "against numerical gradients on every parameter")
WORST = "worst at index (3, 1): expected -0.02362497875108005, got -0.005906244680366322 (relative error 0.6)"
ARRAY_TOKEN = "array([" + ",".join(["0.27392337"] * 12) + "])"  # no space to break at


def outcome(function: str | None, title: str, passed: bool = True, kind: Kind | None = None, message: str = "",
            points: float = 2, visibility: str = "public") -> Outcome:
    return Outcome(nodeid=f"tests/{title}", title=title, function=function, max_score=points,
                       visibility=visibility, passed=passed, message=message, kind=None if passed else kind)


def stub(function: str, title: str, charged: str | None = None, **kwargs) -> Outcome:
    return outcome(charged or function, title, False, Kind.NOT_IMPLEMENTED, f"{function}: not implemented yet",
                   **kwargs)


def rendered(tests: list[Outcome], **kwargs) -> list[str]:
    console = Console(width=80, record=True)
    render(GradeReport(lab="backprop", submission="backprop.py", tests=tests, **kwargs), console, title="backprop")
    return console.export_text().splitlines()


REPORT = [
    outcome("affine_forward", "output shape on a 2-D batch", points=3),
    outcome("affine_forward", "flattens k-dimensional inputs", points=3),
    outcome("FullyConnectedNet.loss", LONG_TITLE, False, Kind.MISMATCH, points=5,
            message=f"FullyConnectedNet.loss: db1: wrong in 6 of 6 entries\n{WORST}\n"
                    f"smallest failing input found: f(\n    x={ARRAY_TOKEN},\n)\nhint: chain the layers."),
    outcome("affine_forward", "does not modify its arguments", visibility="hidden"),
    stub("relu_forward", "relu_forward and relu_backward", charged="relu_backward", points=4),
    stub("softmax_loss", "value and gradient", points=5),
    stub("softmax_loss", "stable for large scores", points=6, visibility="hidden"),
]


def test_every_line_fits_80_columns_but_an_unbreakable_token():
    lines = rendered(REPORT)
    assert [line.split() for line in lines if len(line) > 80] == [[f"x={ARRAY_TOKEN},"]], "\n".join(lines)
    assert not [line for line in lines if line != line.rstrip()], "trailing spaces"


def test_one_heading_per_function_and_titles_without_its_prefix():
    lines = rendered(REPORT)
    assert lines.count("affine_forward") == 1 and lines.count("FullyConnectedNet.loss") == 1
    assert "    ok  3/3  output shape on a 2-D batch" in lines
    assert "    ok  2/2  does not modify its arguments [hidden]" in lines  # hidden joins its function
    assert not [line for line in lines if "affine_forward:" in line]


def test_long_titles_wrap_whole_under_the_title_column():
    lines = rendered(REPORT)
    start = next(i for i, line in enumerate(lines) if line.startswith("  fail  0/5  a three-hidden"))
    indent = len("  fail  0/5  ")
    title_lines = [lines[start][indent:]]
    for line in lines[start + 1:]:
        if not line.startswith(" " * indent) or line[indent] == " ":
            break
        title_lines.append(line[indent:])
    assert " ".join(title_lines) == LONG_TITLE


def test_failing_message_below_the_test_indented_whole():
    lines = rendered(REPORT)
    text = "\n".join(lines)
    assert "      db1: wrong in 6 of 6 entries" in lines  # without the function the heading names
    assert "hint: chain the layers." in text
    # the long line wraps at a space, nothing is dropped
    assert " ".join(line.strip() for line in lines if "worst at" in line or "relative error" in line) == WORST
    assert f"          x={ARRAY_TOKEN}," in lines  # whole, so that it can be copied back


def paragraph(lines: list[str], start: str) -> str:
    """The line that starts with ``start`` and its continuation lines (indented by 2), as one line."""
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    rest = lines[first + 1:]
    more = next((i for i, line in enumerate(rest) if not line.startswith("  ")), len(rest))
    return " ".join([lines[first], *(line.strip() for line in rest[:more])])


def test_not_implemented_functions_on_one_line():
    lines = rendered(REPORT)
    # named after the function that is missing, not the one the test charges
    assert paragraph(lines, "not implemented yet") == ("not implemented yet: relu_forward, softmax_loss "
                                                       "(3 tests, 15 points, 1 of them hidden)")
    assert sum("not implemented yet" in line for line in lines) == 1
    assert "relu_backward" not in "\n".join(lines)  # its only test is a stub's: no heading


def test_the_template_of_a_whole_lab_is_one_paragraph():
    functions = [f"function_{i}" for i in range(20)]
    lines = rendered([stub(f, f"test {j} of {f}") for f in functions for j in range(3)])
    assert lines[0] == "backprop" and lines[-1].startswith("total 0 / 120")
    assert paragraph(lines, "not implemented yet") == (
        f"not implemented yet: {', '.join(functions)} (60 tests, 120 points)")
    assert len(lines) == 6 and all(len(line) <= 80 for line in lines)


def test_a_file_that_did_not_load_is_one_line_and_its_note():
    note = "backprop.py did not import: SyntaxError: invalid syntax (line 3)"
    tests = [outcome("f", f"test {i}", False, Kind.IMPORT, note) for i in range(30)]
    lines = rendered(tests, notes=[note])
    assert lines[1:] == ["not run, the file did not load (30 tests, 60 points)", note,
                         "total 0 / 60   (0.0 s)"]
