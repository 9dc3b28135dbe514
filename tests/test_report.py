"""Class analytics: the numbers behind the page, and the page as headless Chromium renders it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.batch.jobs import MANIFEST, RETRY_KEY
from autograder.reports.html import load_batches, write_report

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def _test(name: str, points: float, kind: str = "") -> dict:
    return {"name": name, "score": 0 if kind else points, "max_score": points,
            "status": "failed" if kind else "passed", "tags": [kind] if kind else []}


def _batch(root: Path, lab: str, students: dict[str, list[dict] | None]) -> Path:
    """A batch output folder as ``dlgrade batch`` leaves it (None: grading broke down)."""
    root.mkdir(parents=True)
    (root / MANIFEST).write_text(json.dumps({"lab": lab, "tests": "all"}))
    for student, tests in students.items():
        (root / student).mkdir()
        data = ({"score": 0, "tests": [], "extra_data": {RETRY_KEY: "died"}} if tests is None else
                {"score": sum(t["score"] for t in tests), "tests": tests})
        (root / student / "results.json").write_text(json.dumps(data))
    return root


@pytest.fixture
def course(tmp_path) -> Path:
    def attempt(a: str, b: str, c: str) -> list[dict]:
        return [_test("forward", 10, a), _test("backward", 20, b), _test("network", 70, c)]

    _batch(tmp_path / "backprop", "backprop", {
        "s1": attempt("", "", ""), "s2": attempt("", "mismatch", ""), "s3": attempt("", "mismatch", "timeout"),
        "s4": attempt("not_implemented", "not_implemented", "not_implemented"),
        "s5": attempt("import", "import", "import"),  # nothing ran: left out of the failure rates
        "s6": None,
    })
    _batch(tmp_path / "rnn", "rnn", {"t1": [_test("step", 50), _test("bptt", 50, "mismatch")],
                                     "t2": [_test("step", 50), _test("bptt", 50)]})
    return tmp_path


def test_statistics(course):
    backprop, rnn = load_batches(course)
    assert (backprop.lab, rnn.lab) == ("backprop", "rnn")
    assert backprop.scores == {"s1": 100, "s2": 80, "s3": 10, "s4": 0, "s5": 0}
    assert backprop.ungraded == ["s6"] and backprop.unimportable == ["s5"] and backprop.max_score == 100
    worst = backprop.worst_tests()
    assert [t.name for t in worst] == ["backward", "network", "forward"]  # 3/4, 2/4, 1/4 of the class
    assert worst[0].kinds == {"mismatch": 2, "not_implemented": 1}
    assert [t.failure_rate for t in rnn.worst_tests()] == [0.5, 0.0]


def test_page_has_every_plot_and_table(course):
    page = write_report(course).read_text()
    assert page.count("<img") == 2 * 2 + 1  # per lab: distribution, failure rates; and the comparison
    assert len(re.findall(r'src="data:image/png;base64,iVBORw0KGgo', page)) == 5
    assert "Tests the class fails most" in page and "s6" in page and "Could not be imported" in page
    single = write_report(course / "rnn").read_text()  # one batch folder on its own works too
    assert single.count("<img") == 2


def test_page_renders_in_headless_chromium(course, tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is missing: run `make setup` (scripts/setup_test_tools.sh installs it)", pytrace=False)
    page = write_report(course)
    # The same page, plus a script that records, once everything loaded, how each image decoded.
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text().replace("</body>", """<script>
window.addEventListener("load", () => {
  const images = [...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]);
  document.body.setAttribute("data-images", JSON.stringify(images));
});
</script></body>"""))
    profile = tmp_path / "profile"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000"]
    dom = subprocess.run([*common, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=180)
    found = re.search(r'data-images="([^"]*)"', dom.stdout)
    assert found, dom.stderr[-2000:]
    images = json.loads(found.group(1).replace("&quot;", '"'))
    assert len(images) == 5 and all(ok and w > 300 and h > 100 for ok, w, h in images), images
    shot = tmp_path / "report.png"
    subprocess.run([*common, "--window-size=1200,2000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=180)
    assert shot.exists() and shot.stat().st_size > 20_000  # a page with plots, not a blank one
