"""Does every lab fit Gradescope's default container? Each lab's reference and alternative solution
(tests/labs/*_alt_solution.py) graded under ``--budget gradescope`` (half a CPU and 768 MB for the
worker's processes), one fresh process per grading: its time, score and the peak resident memory
of the worker's processes (the cgroup's peak, or the watchdog's) and of the harness (its own
``ru_maxrss``). Gradescope counts both against its 768 MB: their sum is shown beside it.

``python bench/budget.py`` prints the table; ``python bench/budget.py LAB FILE`` grades one and
prints its measures as JSON (what the table's rows run).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import find_lab, list_labs
from autograder.sandbox.client import WorkerClient, WorkerSpec
from autograder.sandbox.limits import BUDGETS, under_budget

BUDGET = "gradescope"
ALT_SOLUTIONS = Path(__file__).resolve().parent.parent / "tests" / "labs"


def measure(lab_name: str, path: Path) -> dict:
    lab = find_lab(lab_name)
    lab = replace(lab, limits=under_budget(lab.limits, BUDGET))
    runner = WorkerClient(WorkerSpec(submission=path.resolve(), module=lab.module, forbidden=lab.forbidden_imports,
                                     probes=lab.probes, limits=lab.limits, protect=lab.private_paths))
    started = time.perf_counter()
    report = grade(lab, None, GradingOptions(), runner=runner)
    lost = [t.nodeid for t in report.tests if not t.passed]
    return {"score": report.score, "max": report.max_score, "seconds": time.perf_counter() - started,
            "worker_mb": runner.memory_peak_mb, "harness_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "lost": lost, "memory": report.extra["sandbox"]["memory"]}


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    machine = BUDGETS[BUDGET]
    table = Table(title=f"each lab under --budget {BUDGET} ({machine.cpus:g} CPU, {machine.memory_mb} MB; "
                        "one fresh process per grading)")
    for col in ("lab", "solution", "score", "seconds", "peak worker MB", "peak harness MB", "sum / 768"):
        table.add_column(col)
    for name in list_labs():
        lab = find_lab(name)
        for label, path in (("reference", lab.reference), ("alternative", ALT_SOLUTIONS / f"{name}_alt_solution.py")):
            if not path.exists():
                continue
            done = subprocess.run([sys.executable, __file__, name, str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                table.add_row(name, label, "error: " + (done.stderr.strip().splitlines() or ["?"])[-1])
                continue
            m = json.loads(done.stdout.strip().splitlines()[-1])
            total = m["worker_mb"] + m["harness_mb"]
            table.add_row(name, label, f"{m['score']:g}/{m['max']:g}" + (" LOST " + ", ".join(m["lost"]) if m["lost"]
                                                                         else ""),
                          f"{m['seconds']:.1f}", f"{m['worker_mb']:.0f}", f"{m['harness_mb']:.0f}",
                          f"{total:.0f}" + (" OVER" if total > machine.memory_mb else ""))
    Console().print(table)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
    else:
        main()
