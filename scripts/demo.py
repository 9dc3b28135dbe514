"""`make demo`: release the backprop lab, then grade its reference, its template and a buggy variant.

Everything goes through the released autograder package, laid out as Gradescope lays it out, so the
demo shows what a grading server does, not a shortcut.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from rich.console import Console

from autograder.authoring.mutants import build_mutant, describe
from autograder.failures import Kind
from autograder.grading.outcomes import GradeReport, TestOutcome
from autograder.labs import find_lab
from autograder.release.build import release
from autograder.reports.console import render

LAB = "backprop"
MUTANT = "softmax_no_shift"


def _kind(tags: list[str]) -> Kind:
    """results.json tags a failed test with its function, its visibility and then its kind."""
    return (Kind.named(tags[-1]) if tags else None) or Kind.CHECK


def report_from_results(path: Path, label: str) -> GradeReport:
    """Read results.json back into a report, to render exactly what the server wrote."""
    data = json.loads(path.read_text())
    tests = []
    for t in data["tests"]:
        function, _, title = t["name"].partition(": ")
        tests.append(TestOutcome(nodeid=t["name"], title=title or function, function=function if title else None,
                                 max_score=t["max_score"], visibility="public" if t["visibility"] == "visible"
                                 else "hidden", passed=t["status"] == "passed", message=t.get("output", ""),
                                 kind=None if t["status"] == "passed" else _kind(t.get("tags", []))))
    return GradeReport(lab=LAB, submission=label, tests=tests, execution_time=data.get("execution_time", 0))


def run_autograder(package: Path, submission: Path, root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "submission").mkdir(parents=True)
    with zipfile.ZipFile(package) as zf:
        zf.extractall(root / "source")
    shutil.copy(submission, root / "submission" / submission.name)
    env = os.environ | {"AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return root / "results" / "results.json"


def main() -> None:
    console = Console()
    lab = find_lab(LAB)
    dist = Path("dist")
    student_zip, package = release(lab, dist)
    console.print(f"released [bold]{LAB}[/bold]: {student_zip}, {package}")
    with tempfile.TemporaryDirectory(prefix="dlgrade-demo-") as tmp:
        tmp_path = Path(tmp)
        mutant = build_mutant(lab, lab.mutants / f"{MUTANT}.py", tmp_path / "mutants")
        cases = [("reference solution", lab.reference), ("student template", lab.template),
                 (f"buggy variant: {describe(lab.mutants / f'{MUTANT}.py')}", mutant)]
        for label, submission in cases:
            results = run_autograder(package, submission, tmp_path / "autograder")
            render(report_from_results(results, label), console, title=f"{LAB}: {label}", show_output=False)
            console.print()


if __name__ == "__main__":
    main()
