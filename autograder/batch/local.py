"""Parallel grading on this machine: ``jobs`` grading processes, each fed one submission at a time.

A grading process that dies or overruns the lab's total time budget is killed and replaced; its
submission gets a results.json that says so (and that a resumed batch retries), and the batch
goes on. However the batch ends (done, interrupted, failed), the grading processes get SIGTERM
first, to stop their workers and remove what they staged (``runner.py``), and SIGKILL after
``STOP_GRACE`` seconds.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from autograder.batch.jobs import BatchError, Submission, breakdown_results, store
from autograder.labs import Lab
from autograder.sandbox.limits import SINGLE_THREAD_ENV

Done = Callable[[Submission, dict | None], None]
"""Called once per submission as it finishes, with its results when they are at hand (else on disk)."""

STOP_GRACE = 5.0  # seconds a grading process has to stop its worker and remove its folders


def hard_limit(lab: Lab) -> float:
    """Wall seconds after which a submission's grading process is presumed stuck."""
    limits = lab.limits
    return limits.total_timeout + limits.import_timeout + 2 * limits.test_timeout + 120


def runner_argv(lab: Lab, hidden: bool, sandbox: str) -> list[str]:
    return [sys.executable, "-m", "autograder.batch.runner", lab.name, "all" if hidden else "public", sandbox]


class _Runner:
    def __init__(self, lab: Lab, hidden: bool, sandbox: str, log: Path) -> None:
        env = os.environ | SINGLE_THREAD_ENV | {"PYTHONUNBUFFERED": "1"}
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            runner_argv(lab, hidden, sandbox),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, env=env, start_new_session=True)
        self.buffer = b""
        self.ready = False
        self.job: Submission | None = None
        self.deadline = float("inf")

    def send(self, job: Submission, out: Path, limit: float) -> None:
        self.job, self.deadline = job, time.monotonic() + limit
        line = json.dumps({"student": job.student, "submission": str(job.path), "digest": job.digest,
                           "out": str(out)}) + "\n"
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode())
        self.proc.stdin.flush()

    def lines(self) -> list[dict] | None:
        """Complete replies read so far; None once the process has hung up."""
        assert self.proc.stdout is not None
        data = os.read(self.proc.stdout.fileno(), 1 << 16)
        if not data:
            return None
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in complete if line.strip()]

    def terminate(self) -> None:
        """Ask the grading process to stop its grading and clean up (``runner.py``)."""
        try:
            self.proc.send_signal(signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # whatever it left in its session too
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self.log.close()


def run_local(lab: Lab, todo: list[Submission], out: Path, *, jobs: int, hidden: bool, sandbox: str,
              done: Done) -> None:
    """Grade ``todo`` with ``jobs`` processes; ``done`` is called as each submission finishes."""
    queue = deque(todo)
    limit = hard_limit(lab)
    logs = Path(out) / ".batch"
    logs.mkdir(parents=True, exist_ok=True)
    sel = selectors.DefaultSelector()
    idle: list[_Runner] = []
    busy: set[_Runner] = set()

    def start(number: int) -> None:
        runner = _Runner(lab, hidden, sandbox, logs / f"grader-{number}.log")
        sel.register(runner.proc.stdout, selectors.EVENT_READ, runner)
        busy.add(runner)  # busy until it says it is ready

    def retire(runner: _Runner) -> None:
        sel.unregister(runner.proc.stdout)
        busy.discard(runner)
        stop([runner])

    def breakdown(runner: _Runner, why: str) -> None:
        job = runner.job
        retire(runner)
        if job is not None:
            data = breakdown_results(why)
            store(out, job, data)
            done(job, data)

    started = failed_starts = 0
    try:
        for _ in range(min(jobs, len(queue))):
            start(started := started + 1)
        while queue or any(r.job for r in busy):
            while idle and queue:
                runner = idle.pop()
                runner.send(queue.popleft(), out, limit)
                busy.add(runner)
            for key, _ in sel.select(timeout=1.0):
                runner: _Runner = key.data
                replies = runner.lines()
                if replies is None:
                    failed_starts += not runner.ready
                    if failed_starts >= 3:
                        raise BatchError(f"the grading processes fail to start: see {logs}/grader-*.log")
                    breakdown(runner, "the grading process exited unexpectedly")
                    if queue:
                        start(started := started + 1)
                    continue
                for reply in replies:
                    runner.ready = True
                    if "student" in reply and runner.job is not None:
                        job, runner.job = runner.job, None
                        done(job, None)
                    busy.discard(runner)
                    idle.append(runner)
            now = time.monotonic()
            for runner in [r for r in busy if r.job is not None and now > r.deadline]:
                breakdown(runner, f"grading took longer than {limit:.0f} s")
                if queue:
                    start(started := started + 1)
    finally:
        for runner in list(busy) + idle:
            try:
                sel.unregister(runner.proc.stdout)
            except (KeyError, ValueError):
                pass
        sel.close()
        stop(list(busy) + idle)


def stop(runners: list[_Runner]) -> None:
    """SIGTERM, ``STOP_GRACE`` seconds to clean up, then SIGKILL (at once on a second Ctrl-C)."""
    for runner in runners:
        runner.terminate()
    try:
        deadline = time.monotonic() + STOP_GRACE
        for runner in runners:
            try:
                runner.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    finally:
        for runner in runners:
            runner.kill()
