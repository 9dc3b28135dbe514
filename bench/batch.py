"""Batch throughput: `dlgrade batch` at 1 and 2 jobs against `otter run`, on the same submissions.

    python bench/batch.py [--count 40] [--tests all|public] [--otter-sample N]

Submissions of backprop (a numpy lab): the reference, the template, every buggy variant and a few
broken files, repeated up to --count. dlgrade grades them as a batch; Otter has no batch mode
outside Docker, so each submission is one `otter run` of the exported autograder zip (the same
tests, see `dlgrade release --format otter`), one after the other. --otter-sample times Otter on
the first N submissions only (its rate, per minute, is what is compared). Totals are checked to
agree wherever both graded a submission.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.labs import find_lab
from autograder.release.otter_export import otter_package

DLGRADE = [sys.executable, "-m", "autograder"]
TARGET_SPEEDUP = 3.0


def make_submissions(folder: Path, count: int) -> list[Path]:
    lab = find_lab("backprop")
    reference = lab.reference.read_text()
    kinds = [reference, lab.template.read_text()]
    kinds += [reference + "\n\n" + m.read_text() for m in sorted(lab.mutants.glob("*.py"))]
    kinds += [reference + "\ndef broken(:\n", "import os\nos._exit(0)\n"]
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        path = folder / f"student{i:03d}.py"
        path.write_text(kinds[i % len(kinds)])
        paths.append(path)
    return paths


def time_batch(submissions: Path, out: Path, jobs: int, public: bool) -> float:
    command = [*DLGRADE, "batch", "backprop", str(submissions), "--out", str(out), "--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command + (["--public"] if public else []), check=False, capture_output=True)
    return time.perf_counter() - started


def otter_cli() -> str:
    otter = shutil.which("otter", path=str(Path(sys.executable).parent))
    if otter is None:
        raise SystemExit("otter-grader is missing: run `make setup` (it installs dlgrade's `otter` extra)")
    return otter


def otter_once(package: Path, submission: Path, folder: Path) -> float:
    """``otter run`` of ``package`` on ``submission`` in ``folder``: its total score (NaN: Otter wrote nothing)."""
    folder.mkdir(parents=True)
    shutil.copy(submission, folder / "backprop.py")
    subprocess.run([otter_cli(), "run", "-a", str(package), "-o", str(folder), "--no-logo", "backprop.py"],
                   cwd=folder, capture_output=True)
    try:
        tests = json.loads((folder / "results.json").read_text())["tests"]
        return sum(t.get("score") or 0 for t in tests)
    except (OSError, ValueError, KeyError):
        return float("nan")


def time_otter(package: Path, paths: list[Path], out: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    totals = {path.stem: otter_once(package, path, out / path.stem) for path in paths}
    return time.perf_counter() - started, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--tests", choices=("all", "public"), default="all")
    parser.add_argument("--otter-sample", type=int, default=None, help="time Otter on this many only")
    args = parser.parse_args()
    public = args.tests == "public"
    console = Console()
    lab = find_lab("backprop")
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-") as tmp:
        root = Path(tmp)
        paths = make_submissions(root / "submissions", args.count)
        rows = []
        for jobs in (1, 2):
            seconds = time_batch(root / "submissions", root / f"out{jobs}", jobs, public)
            rows.append((f"dlgrade batch --jobs {jobs}", len(paths), seconds))
            console.print(f"dlgrade --jobs {jobs}: {len(paths)} in {seconds:.0f} s")
        package = otter_package(lab, root / "dist", hidden=not public)
        sample = paths[: args.otter_sample or len(paths)]
        seconds, otter_totals = time_otter(package, sample, root / "otter")
        rows.append(("otter run, one per submission", len(sample), seconds))
        ours = {p.parent.name: json.loads(p.read_text())["score"] for p in (root / "out2").glob("*/results.json")}
        missing = [s for s, total in otter_totals.items() if total != total]  # NaN: Otter wrote nothing
        disagree = [s for s, total in otter_totals.items()
                    if s not in missing and abs(total - ours.get(s, -1)) > 1e-6]

    table = Table(title=f"backprop, {args.tests} tests, {args.count} submissions")
    for column in ("grader", "submissions", "seconds", "per minute"):
        table.add_column(column, justify="right" if column != "grader" else "left")
    for name, n, seconds in rows:
        table.add_row(name, str(n), f"{seconds:.1f}", f"{60 * n / seconds:.1f}")
    console.print(table)
    otter_rate = rows[2][1] / rows[2][2]
    speedup = (rows[1][1] / rows[1][2]) / otter_rate
    console.print(f"dlgrade --jobs 2 against otter run: {speedup:.1f}x (target {TARGET_SPEEDUP:g}x)")
    console.print("totals agree on every submission both graded" if not disagree else
                  f"[red]totals differ for {', '.join(disagree)}[/red]")
    if missing:
        console.print(f"otter run wrote no results for {', '.join(missing)} (dlgrade graded them)")


if __name__ == "__main__":
    main()
