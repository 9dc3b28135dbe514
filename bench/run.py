"""`make bench`: what grading costs, measured side by side in one run.

For backprop: wall time of `dlgrade check` and `dlgrade grade` on the reference (fresh processes, as
a student and a server run them), the fixed overhead inside them (interpreter start-up and imports,
starting the worker and importing the submission) against the test work, and the same tests run by
plain in-process pytest. Then the grading time of every lab's reference. Medians of a few runs.
Last, every lab under Gradescope's budget (``budget.py``): time and peak resident memory.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budget import main as budget_table  # noqa: E402
from inprocess import grade_in_process  # noqa: E402

from autograder.grading.pipeline import GradingOptions, grade  # noqa: E402
from autograder.labs import find_lab, list_labs  # noqa: E402
from autograder.sandbox.client import WorkerClient, WorkerSpec  # noqa: E402

DLGRADE = [sys.executable, "-m", "autograder"]
TARGETS = {"check": 3.0, "grade": 20.0, "overhead": 1.0}


def median_time(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run_cli(*args: str) -> None:
    subprocess.run([*DLGRADE, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def worker_start(lab_name: str) -> None:
    lab = find_lab(lab_name)
    client = WorkerClient(WorkerSpec(submission=lab.reference.resolve(), module=lab.module,
                                     forbidden=lab.forbidden_imports, probes=lab.probes, limits=lab.limits))
    client.begin_test(seed=0, limit=60)
    client.request({"op": "has", "name": "__name__"}, None)
    client.stop()


def main() -> None:
    runs = 3
    console = Console()
    lab = find_lab("backprop")
    ref = str(lab.reference)

    check_s = median_time(lambda: run_cli("check", "backprop", ref), runs)
    grade_s = median_time(lambda: run_cli("grade", "backprop", ref, "--out", "/tmp/dlgrade-bench.json", "--quiet"),
                          runs)
    startup_s = median_time(lambda: subprocess.run([*DLGRADE, "--help"], check=True, stdout=subprocess.DEVNULL), runs)
    worker_s = median_time(lambda: worker_start("backprop"), runs)
    public_sandboxed = median_time(lambda: grade(lab, lab.reference, GradingOptions(hidden=False)), runs)
    public_inprocess = median_time(lambda: grade_in_process(lab, lab.reference, hidden=False), runs)
    all_sandboxed = median_time(lambda: grade(lab, lab.reference), runs)
    all_inprocess = median_time(lambda: grade_in_process(lab, lab.reference), runs)
    overhead = startup_s + worker_s

    table = Table(title="backprop reference (median of 3, seconds)")
    for col in ("measure", "seconds", "target", "ratio / note"):
        table.add_column(col)
    table.add_row("dlgrade check backprop (fresh process)", f"{check_s:.2f}", f"< {TARGETS['check']:g}",
                  "ok" if check_s < TARGETS["check"] else "OVER")
    table.add_row("dlgrade grade backprop (fresh process)", f"{grade_s:.2f}", f"< {TARGETS['grade']:g}",
                  "ok" if grade_s < TARGETS["grade"] else "OVER")
    table.add_row("  fixed: interpreter start-up and imports", f"{startup_s:.2f}", "", "")
    table.add_row("  fixed: start worker, import submission", f"{worker_s:.2f}", "", "")
    table.add_row("  fixed overhead in all", f"{overhead:.2f}", f"< {TARGETS['overhead']:g}",
                  "ok" if overhead < TARGETS["overhead"] else "OVER")
    table.add_row("  test work (grade minus fixed)", f"{grade_s - overhead:.2f}", "", "")
    table.add_row("public tests, worker process", f"{public_sandboxed:.2f}", "",
                  f"x{public_sandboxed / public_inprocess:.2f} of in-process")
    table.add_row("public tests, plain in-process pytest", f"{public_inprocess:.2f}", "", "baseline")
    table.add_row("all tests, worker process", f"{all_sandboxed:.2f}", "",
                  f"x{all_sandboxed / all_inprocess:.2f} of in-process")
    table.add_row("all tests, plain in-process pytest", f"{all_inprocess:.2f}", "", "baseline")
    console.print(table)

    labs = Table(title="grading time of each lab's reference (one run, in this process)")
    for col in ("lab", "score", "seconds"):
        labs.add_column(col)
    for name in list_labs():
        each = find_lab(name)
        if not each.reference.exists():
            continue
        started = time.perf_counter()
        report = grade(each, each.reference)
        labs.add_row(name, f"{report.score:g}/{report.max_score:g}", f"{time.perf_counter() - started:.1f}")
    console.print(labs)
    budget_table()


if __name__ == "__main__":
    main()
