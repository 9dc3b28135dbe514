"""`make bench`: every figure of grading's speed and size beside its goal, measured side by side in one run.

    python bench/run.py [--quick]

- a student's ``dlgrade check`` of each numpy lab's reference: median of 5 fresh processes, sandbox on;
- ``dlgrade grade`` of backprop's reference against ``otter run`` of the same lab's exported Otter
  autograder (same tests; the totals must agree), and ``--sandbox auto`` against ``none``: runs
  interleaved, so that the machine's load weighs on both sides of each ratio alike;
- batch throughput (``dlgrade batch``) at 1 and 2 parallel gradings;
- what torch costs a numpy lab's harness, whose hidden tests use it as their oracle;
- every lab's reference and alternative solution under Gradescope's budget (``budget.py``).

``--quick`` is a smoke run (a minute or two): one sample of each, backprop's reference only under
the budget. The machine may be shared: each figure carries the 1-minute load average it was taken at.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

import budget  # noqa: E402
from batch import make_submissions, otter_once, time_batch  # noqa: E402
from figures import Figure, summary, table  # noqa: E402

from autograder.labs import find_lab, list_labs  # noqa: E402
from autograder.release.otter_export import otter_package  # noqa: E402

DLGRADE = [sys.executable, "-m", "autograder"]
GOALS = {"check": 1.0, "otter_speedup": 3.0, "sandbox_overhead": 0.3}
# Throughput with 2 parallel gradings against 1: "scales with cores" on a machine with at least 2.
SCALING = 0.85


def load() -> float:
    return os.getloadavg()[0]


def timed(argv: list[str], **kw) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - started


def check_figures(runs: int, labs: list[str]) -> list[Figure]:
    out = []
    for name in labs:
        at = load()
        ref = str(find_lab(name).reference)
        samples = [timed([*DLGRADE, "check", name, ref]) for _ in range(runs)]
        out.append(Figure(f"dlgrade check {name} (numpy; fresh process, sandbox auto)", statistics.median(samples),
                          goal=GOALS["check"], load=at, note=f"median of {runs}: " +
                          ", ".join(f"{s:.2f}" for s in samples)))
    return out


def single_submission_figures(runs: int, otter_runs: int, tmp: Path) -> list[Figure]:
    """dlgrade grade (sandbox auto, none) and otter run on backprop's reference, interleaved."""
    lab = find_lab("backprop")
    package = otter_package(lab, tmp / "dist")
    times: dict[str, list[float]] = {"auto": [], "none": [], "otter": []}
    totals: dict[str, float] = {}
    at = load()
    for i in range(runs):
        for sandbox in ("auto", "none"):
            out = tmp / f"grade-{sandbox}.json"
            times[sandbox].append(timed([*DLGRADE, "grade", "backprop", str(lab.reference), "--out", str(out),
                                         "--quiet", "--sandbox", sandbox]))
            totals[sandbox] = json.loads(out.read_text())["score"]
        if i < otter_runs:
            started = time.perf_counter()
            totals["otter"] = otter_once(package, lab.reference, tmp / f"otter{i}")
            times["otter"].append(time.perf_counter() - started)
    auto, none, otter = (statistics.median(times[k]) for k in ("auto", "none", "otter"))
    agree = "totals agree" if len(set(totals.values())) == 1 else f"TOTALS DIFFER: {totals}"
    return [
        Figure("dlgrade grade backprop (fresh process, sandbox auto)", auto, load=at,
               note=f"median of {runs}; all tests, hidden included"),
        Figure("otter run, backprop's exported autograder, same tests", otter, load=at,
               note=f"median of {otter_runs}; {agree} ({totals.get('otter', float('nan')):g})"),
        Figure("  speed-up: otter run / dlgrade grade", otter / auto, unit="x", goal=GOALS["otter_speedup"],
               at_least=True, load=at),
        Figure("sandbox overhead per submission (auto - none)", auto - none, goal=GOALS["sandbox_overhead"],
               load=at, note=f"--sandbox none: {none:.2f} s"),
    ]


def batch_figures(count: int, tmp: Path) -> list[Figure]:
    at = load()
    submissions = make_submissions(tmp / "submissions", count)[0].parent
    one, two = (time_batch(submissions, tmp / f"batch{jobs}", jobs, public=False) for jobs in (1, 2))
    cores = os.cpu_count() or 1
    return [
        Figure("dlgrade batch --jobs 1", 60 * count / one, unit="per min", load=at, note=f"{count} submissions"),
        Figure("dlgrade batch --jobs 2", 60 * count / two, unit="per min", load=at),
        Figure(f"  throughput, 2 jobs / 1 job ({cores} cores)", one / two, unit="x",
               goal=SCALING * min(2, cores), at_least=True, load=at,
               note="shared machine: the other helpers' load takes the second core" if load() > 1 else ""),
    ]


def torch_cost_figures(runs: int) -> list[Figure]:
    """A fresh interpreter importing numpy, then numpy and torch: what torch adds, in time and resident memory."""
    probe = ("import time; t = time.perf_counter(); import {}; t = time.perf_counter() - t; "
             "print(t, next(int(s.split()[1]) / 1024 for s in open('/proc/self/status') if s.startswith('VmHWM')))")
    at = load()
    samples = {}
    for modules in ("numpy", "numpy, torch"):
        runs_out = [subprocess.run([sys.executable, "-c", probe.format(modules)], capture_output=True, text=True,
                                   check=True).stdout.split() for _ in range(runs)]
        samples[modules] = [statistics.median(float(r[i]) for r in runs_out) for i in (0, 1)]
    (np_s, np_mb), (both_s, both_mb) = samples["numpy"], samples["numpy, torch"]
    note = "a numpy lab's hidden tests use torch as their oracle: every grading pays this in the harness"
    return [Figure("torch import in a numpy lab's harness: time", both_s - np_s, load=at, note=note),
            Figure("torch import in a numpy lab's harness: memory", both_mb - np_mb, unit="MB", load=at,
                   note=f"numpy alone {np_mb:.0f} MB, with torch {both_mb:.0f} MB")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: one sample of each, one lab under budget")
    args = parser.parse_args()
    quick = args.quick
    console = Console(width=max(Console().width, 160))
    numpy_labs = [n for n in list_labs() if find_lab(n).framework == "numpy"]
    started, first_load = time.perf_counter(), load()
    figures = check_figures(1 if quick else 5, ["backprop"] if quick else numpy_labs)
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-") as tmp:
        figures += single_submission_figures(1 if quick else 5, 1 if quick else 3, Path(tmp))
        figures += batch_figures(4 if quick else 12, Path(tmp))
    figures += torch_cost_figures(1 if quick else 3)
    figures += budget.figures(["backprop"] if quick else list_labs(), quick=quick)
    console.print(table(figures, f"dlgrade bench{' --quick' if quick else ''}: {os.cpu_count()} cores, load "
                                 f"{first_load:.1f} at the start, {load():.1f} at the end, "
                                 f"{time.perf_counter() - started:.0f} s"))
    console.print(summary(figures))


if __name__ == "__main__":
    main()
