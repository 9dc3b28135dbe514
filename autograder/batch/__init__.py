"""Batch grading: a folder of submissions, graded in parallel, into one results.json each.

``run_batch`` is what ``dlgrade batch`` runs. Locally, ``jobs`` grading processes share the work
(``local.py``); with a scheduler address, a Dask cluster does (``cluster.py``). Either way every
results.json is written atomically as its submission finishes, and a batch started again on the
same output folder grades only what is missing, what broke down and what was handed in again.
Interrupted (Ctrl-C), it stops its grading processes, which clean up, and says how far it got.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich import progress as rp
from rich.console import Console

from autograder.batch.jobs import (
    RETRY_KEY,
    BatchError,
    Submission,
    discover,
    open_batch,
    results_path,
    submission_digest,
    to_grade,
)
from autograder.labs import Lab

__all__ = ["BatchError", "BatchSummary", "run_batch"]


@dataclass
class BatchSummary:
    roster: list[str] = field(default_factory=list)  # every student of the folder, graded or not
    skipped: int = 0  # finished by an earlier run
    graded: int = 0
    resubmitted: list[str] = field(default_factory=list)  # handed in again since they were graded
    breakdowns: list[str] = field(default_factory=list)  # students whose grading broke down
    seconds: float = 0.0
    interrupted: bool = False
    up_to_date: int = 0  # students whose results grade their current submission, at the end

    @property
    def students(self) -> int:
        return len(self.roster)

    @property
    def per_minute(self) -> float:
        return 60 * self.graded / self.seconds if self.seconds else 0.0


def run_batch(lab: Lab, submissions: Path, out: Path, *, jobs: int = 1, scheduler: Any = None,
              hidden: bool = True, sandbox: str = "auto", console: Console | None = None,
              progress: bool = True, force: bool = False, redo: Collection[str] = ()) -> BatchSummary:
    """Grade every submission in ``submissions`` that ``out`` has no up-to-date results for.

    ``scheduler``: a Dask scheduler address (or ``distributed.Client``) to grade on instead of
    ``jobs`` local processes; ``hidden=False`` runs the public tests only; ``force`` grades
    everyone again, ``redo`` these students. Ctrl-C ends it with ``interrupted`` set, not raised.
    """
    out = Path(out)
    everyone = [replace(s, digest=submission_digest(s.path)) for s in discover(submissions)]
    unknown = sorted(set(redo) - {s.student for s in everyone})
    if unknown:
        raise BatchError(f"--redo: no submission named {', '.join(unknown)} in {submissions}")
    open_batch(out, lab, hidden, Path(submissions).resolve())
    reasons = {s.student: "redo" if force or s.student in redo else to_grade(out, s) for s in everyone}
    todo = [s for s in everyone if reasons[s.student]]
    summary = BatchSummary(roster=[s.student for s in everyone], skipped=len(everyone) - len(todo),
                           resubmitted=[s.student for s in todo if reasons[s.student] == "changed"])
    console = console or Console(stderr=True)
    started = time.monotonic()
    bar = rp.Progress(rp.TextColumn("{task.description}"), rp.BarColumn(), rp.MofNCompleteColumn(),
                      rp.TimeElapsedColumn(), rp.TextColumn("eta"), rp.TimeRemainingColumn(),
                      console=console, disable=not progress)

    with bar:
        task = bar.add_task(f"grading {lab.name}", total=len(todo))

        def done(job: Submission, data: dict | None) -> None:
            if data is None:
                data = json.loads(results_path(out, job.student).read_text())
            problem = (data.get("extra_data") or {}).get(RETRY_KEY)
            if problem:
                summary.breakdowns.append(job.student)
                bar.console.print(f"[red]{job.student}[/red]: {problem}")
            summary.graded += 1
            bar.update(task, advance=1, description=f"grading {lab.name} ({job.student})")

        try:
            if todo and scheduler is not None:
                from autograder.batch.cluster import run_dask

                run_dask(lab, todo, out, scheduler=scheduler, hidden=hidden, sandbox=sandbox, done=done)
            elif todo:
                from autograder.batch.local import run_local

                run_local(lab, todo, out, jobs=max(1, jobs), hidden=hidden, sandbox=sandbox, done=done)
        except KeyboardInterrupt:  # the graders are stopped and cleaned up by now
            summary.interrupted = True
    summary.seconds = time.monotonic() - started
    # Counted on disk: a grader may have finished a student in the moment it was stopped.
    summary.up_to_date = sum(to_grade(out, s) is None for s in everyone)
    return summary
