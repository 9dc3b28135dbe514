"""Class analytics: the numbers behind the page, the students' pages, similar submissions, and the
page as headless Chromium renders it (every section there, every chart label inside its chart)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.batch.jobs import MANIFEST, RETRY_KEY
from autograder.reports.class_stats import load_batches, normalised_message
from autograder.reports.html import write_report
from autograder.reports.similarity import similar_pairs
from tests.conftest import REPO, require

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
REFERENCE = (REPO / "reference_solutions/backprop/backprop.py").read_text()
ALT = (REPO / "tests/labs/backprop_alt_solution.py").read_text()
TEMPLATE = (REPO / "student_templates/backprop/backprop.py").read_text()
SECRET = "hidden input 0.123"
MISCONCEPTION = "relu_backward passes the gradient where x < 0"


def _test(name: str, points: float, kind: str = "", *, function: str = "", hidden: bool = False,
          output: str = "") -> dict:
    function = function or name.split(" ")[0]
    return {"name": name, "score": 0 if kind else points, "max_score": points,
            "status": "failed" if kind else "passed", "output": output or (f"{function}: {kind}" if kind else ""),
            "visibility": "after_published" if hidden else "visible",
            "tags": [function, "hidden" if hidden else "public", *([kind] if kind else [])]}


def _renamed(source: str) -> str:
    """A copy that renames every variable it can and drops the docstrings."""
    for old, new in [("dout", "grad_out"), ("cache", "saved"), ("out", "result"), ("dx", "grad_x"), ("x", "inp")]:
        source = re.sub(rf"\b{old}\b", new, source)
    return re.sub(r'""".*?"""', '"""mine"""', source, flags=re.S)


def _batch(root: Path, lab: str, students: dict[str, list[dict] | None], submissions: Path | None = None,
           extra: dict[str, dict] | None = None) -> Path:
    """A batch output folder as ``dlgrade batch`` leaves it (None: grading broke down)."""
    root.mkdir(parents=True)
    manifest = {"lab": lab, "tests": "all"} | ({"submissions": str(submissions)} if submissions else {})
    (root / MANIFEST).write_text(json.dumps(manifest))
    for student, tests in students.items():
        (root / student).mkdir()
        data = ({"score": 0, "tests": [], "extra_data": {RETRY_KEY: "died"}} if tests is None else
                {"score": sum(t["score"] for t in tests), "tests": tests, "output": f"{lab}: graded {student}.py",
                 "extra_data": (extra or {}).get(student, {})})
        (root / student / "results.json").write_text(json.dumps(data))
    return root


@pytest.fixture
def course(tmp_path) -> Path:
    def attempt(a: str, b: str, c: str, hidden_b: str = "") -> list[dict]:
        return [_test("forward", 10, a), _test("backward", 10, b, output=f"backward: got {len(b)} expected 0.5"
                                                                         if b == "mismatch" else ""),
                _test("backward hidden case", 10, hidden_b, function="backward", hidden=True,
                      output=f"backward: wrong for {SECRET}" if hidden_b else ""),
                _test("network", 70, c)]

    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for student, code in {"s1": REFERENCE, "s2": _renamed(REFERENCE), "s3": ALT, "s4": TEMPLATE}.items():
        (submissions / f"{student}.py").write_text(code)
    misconception = {"misconception": {"mutant": "relu_leak", "description": MISCONCEPTION, "similarity": 0.9}}
    _batch(tmp_path / "backprop", "backprop", {
        "s1": attempt("", "", ""), "s2": attempt("", "mismatch", "", "mismatch"),
        "s3": attempt("", "mismatch", "timeout"),
        "s4": attempt("not_implemented", "not_implemented", "not_implemented", "not_implemented"),
        "s5": attempt("import", "import", "import", "import"),  # nothing ran: left out of the failure rates
        "s6": None,
    }, submissions, extra={"s2": misconception, "s3": misconception})
    long = "backpropagation_through_time_with_a_name_longer_than_any_chart_allows"  # cut to fit, never cropped
    _batch(tmp_path / "rnn", "rnn", {"t1": [_test("step", 50), _test(f"{long} case", 50, "mismatch")],
                                     "t2": [_test("step", 50), _test(f"{long} case", 50)]})
    return tmp_path


def test_statistics(course):
    backprop, rnn = load_batches(course)
    assert (backprop.lab, rnn.lab) == ("backprop", "rnn")
    assert backprop.scores == {"s1": 100, "s2": 80, "s3": 20, "s4": 0, "s5": 0}
    assert backprop.ungraded == ["s6"] and backprop.unimportable == ["s5"] and backprop.max_score == 100
    worst = backprop.worst_tests()
    # Of the 3 who attempted each: backward 2, network 1; the stub (s4) is a non-attempt, not a failure.
    assert [(t.name, t.failures, t.attempts, t.not_attempted) for t in worst[:2]] == [
        ("backward", 2, 3, 1), ("network", 1, 3, 1)]
    assert worst[0].kinds == {"mismatch": 2}
    backward = backprop.functions["backward"]
    assert backward.attempted == {"s1", "s2", "s3"} and backward.not_attempted == {"s4"}
    assert backward.failed == {"public": {"s2", "s3"}, "hidden": {"s2"}}
    assert backward.failure_rate("public") == 2 / 3 and backward.failure_rate("hidden") == 1 / 3
    assert [f.name for f in backprop.worst_functions()] == ["backward", "network", "forward"]
    # "got 8 expected 0.5" and "got 8 ..." alike: the numbers are taken out.
    assert backward.messages["backward: got # expected #"] == 2
    assert backprop.misconceptions == {MISCONCEPTION: {"s2", "s3"}}
    assert [t.failure_rate for t in rnn.worst_tests()] == [0.5, 0.0]


def test_normalised_message_keeps_names():
    assert normalised_message("\n  dx2 differs at [3, 4]: got -1.5e-03, expected .5\nmore") == \
        "dx2 differs at [#, #]: got #, expected #"


def test_similar_pairs_find_a_renamed_copy_only():
    require("copydetect", "report")
    pairs = similar_pairs({"ref": REFERENCE, "copy": _renamed(REFERENCE), "alt": ALT, "stub": TEMPLATE}, TEMPLATE)
    assert [(p.first, p.second) for p in pairs] == [("copy", "ref")]
    assert pairs[0].similarity > 0.8 and pairs[0].copied[0] and pairs[0].copied[1]
    # The template is what everyone was given: two untouched templates are not a pair.
    assert similar_pairs({"a": TEMPLATE + "\n", "b": TEMPLATE}, TEMPLATE) == []


def test_page_has_every_section(course):
    require("copydetect", "report")
    page = write_report(course).read_text()
    assert page.count("<svg") == 2 * 2 + 1  # per lab: distribution, functions; and the comparison
    for section in ('id="all-labs"', 'id="lab-backprop"', 'id="lab-rnn"', 'class="functions"',
                    'class="misconceptions"', 'class="similar"', 'class="students"'):
        assert section in page
    assert "Tests the class fails most" in page and "s6" in page and "Could not be imported" in page
    assert f"2 students: {html.escape(MISCONCEPTION)}" in page
    assert "s1 and s2:" in page and "s3 and" not in page and "<mark>" in page  # the renamed copy, side by side
    assert "backward: got # expected #" in page
    assert 'href="students/backprop/s2.html"' in page
    single = write_report(course / "rnn").read_text()  # one batch folder on its own works too
    assert single.count("<svg") == 2 and "the submissions folder" in single


def test_student_page_shows_hidden_tests_as_visibility_allows(course):
    write_report(course)
    page = (course / "students" / "backprop" / "s2.html").read_text()
    assert "backward: got 8 expected 0.5" in page and "10/10" in page  # public: name, points, message
    assert SECRET not in page and "backward hidden case" not in page  # hidden, not published yet
    assert page.count('class="restricted"') == 1 and "mismatch" in page
    assert 'href="../../report.html"' in page
    published = json.loads((course / "backprop" / "s2" / "results.json").read_text())
    for t in published["tests"]:
        t["visibility"] = "visible"
    (course / "backprop" / "s2" / "results.json").write_text(json.dumps(published))
    write_report(course)
    assert SECRET in (course / "students" / "backprop" / "s2.html").read_text()


# Runs once everything loaded: which sections are there, and every chart text's box against its chart's.
_PROBE = """<script>
window.addEventListener("load", () => {
  const charts = [...document.querySelectorAll("svg.chart")].map(svg => {
    const box = svg.getBoundingClientRect();
    const outside = [...svg.querySelectorAll("text")].filter(t => {
      const r = t.getBoundingClientRect();
      return r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
             r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
    }).map(t => t.textContent);
    return {width: box.width, texts: svg.querySelectorAll("text").length, outside};
  });
  const sections = [...document.querySelectorAll("section, div[class]")].map(e => e.id || e.className);
  document.body.setAttribute("data-probe", JSON.stringify({charts, sections}));
});
</script></body>"""


def test_page_renders_in_headless_chromium(course, tmp_path):
    require("copydetect", "report")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is missing: run `make setup` (scripts/setup_test_tools.sh installs it)", pytrace=False)
    page = write_report(course)
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text().replace("</body>", _PROBE))
    profile = tmp_path / "profile"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000"]
    dom = subprocess.run([*common, "--window-size=1200,2000", "--dump-dom", probe.as_uri()], capture_output=True,
                         text=True, timeout=180)
    found = re.search(r'data-probe="([^"]*)"', dom.stdout)
    assert found, dom.stderr[-2000:]
    probe_data = json.loads(html.unescape(found.group(1)))
    charts = probe_data["charts"]
    assert len(charts) == 5 and all(c["width"] > 300 and c["texts"] > 5 for c in charts), charts
    assert [c["outside"] for c in charts] == [[]] * 5  # no label cut off
    for section in ("all-labs", "lab-backprop", "lab-rnn", "functions", "misconceptions", "similar", "students"):
        assert section in probe_data["sections"]
    shot = tmp_path / "report.png"
    subprocess.run([*common, "--window-size=1200,2000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=180)
    assert shot.exists() and shot.stat().st_size > 20_000  # a page with charts, not a blank one
