"""Batch grading: a folder of submissions, graded in parallel, into one results.json each.

``run_batch`` is what ``dlgrade batch`` runs. Locally, ``jobs`` grading processes share the work
(``local.py``); with a scheduler address, a Dask cluster does (``cluster.py``). Either way every
results.json is written atomically as its submission finishes, and a batch started again on the
same output folder grades only what is missing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich import progress as rp
from rich.console import Console

from autograder.batch.jobs import (
    RETRY_KEY,
    BatchError,
    Submission,
    discover,
    finished,
    open_batch,
    results_path,
)
from autograder.labs import Lab

__all__ = ["BatchError", "BatchSummary", "run_batch"]


@dataclass
class BatchSummary:
    roster: list[str] = field(default_factory=list)  # every student of the folder, graded or not
    skipped: int = 0  # finished by an earlier run
    graded: int = 0
    breakdowns: list[str] = field(default_factory=list)  # students whose grading broke down
    seconds: float = 0.0

    @property
    def students(self) -> int:
        return len(self.roster)

    @property
    def per_minute(self) -> float:
        return 60 * self.graded / self.seconds if self.seconds else 0.0


def run_batch(lab: Lab, submissions: Path, out: Path, *, jobs: int = 1, scheduler: Any = None,
              hidden: bool = True, sandbox: str = "auto", console: Console | None = None,
              progress: bool = True) -> BatchSummary:
    """Grade every submission in ``submissions`` that ``out`` has no finished results for.

    ``scheduler``: a Dask scheduler address (or ``distributed.Client``) to grade on instead of
    ``jobs`` local processes; ``hidden=False`` runs the public tests only.
    """
    out = Path(out)
    everyone = discover(submissions)
    open_batch(out, lab, hidden, Path(submissions).resolve())
    todo = [s for s in everyone if not finished(out, s.student)]
    summary = BatchSummary(roster=[s.student for s in everyone], skipped=len(everyone) - len(todo))
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

        if todo and scheduler is not None:
            from autograder.batch.cluster import run_dask

            run_dask(lab, todo, out, scheduler=scheduler, hidden=hidden, sandbox=sandbox, done=done)
        elif todo:
            from autograder.batch.local import run_local

            run_local(lab, todo, out, jobs=max(1, jobs), hidden=hidden, sandbox=sandbox, done=done)
    summary.seconds = time.monotonic() - started
    return summary
