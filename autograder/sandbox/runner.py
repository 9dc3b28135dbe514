"""What runs a submission for the harness: the one interface grading is written against.

``WorkerClient`` (``client.py``) runs it in a separate, confined worker process: the only runner
for untrusted code. ``InProcessClient`` (``inprocess.py``) answers the same requests inside the
harness's own process, for Otter's in-kernel model and for the benchmark's baseline, and
(``UnconfinedClient``) for a student's check where the platform cannot run a worker (Windows).
``start`` picks between the two.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from autograder.failures import ImportFailure, SandboxUnavailable
from autograder.sandbox import isolation
from autograder.sandbox.client import WorkerClient, WorkerSpec
from autograder.sandbox.inprocess import UnconfinedClient


class SubmissionRunner(Protocol):
    import_error: ImportFailure | None
    """Set when the submission cannot be imported: every request then fails with it."""
    starts: int
    """How many times the submission was loaded (a worker is replaced after a timeout or a crash)."""
    sandbox_error: SandboxUnavailable | None
    """Set when the isolation asked for could not be had: grading must stop, not score."""

    def begin_test(self, *, seed: int, limit: float) -> None:
        """A new test: its random seed, and ``limit`` seconds from now for all its requests.

        The limit given here is the one a timeout reports: the deadline and its message cannot differ.
        """

    def poison(self, failure: Exception) -> None:
        """Fail every further request of the current test at once with ``failure``."""

    def prestart(self) -> None:
        """Begin loading the submission now, in the background: the first request waits for it."""

    def request(self, req: dict, function: str | None) -> Any:
        """One operation (call, map, get, ...) on the submission; ``function`` is blamed for its failures."""

    def take_output(self) -> str:
        """What the submission printed since the last call (bounded)."""

    def stop(self) -> None:
        """End the submission's process(es) and remove what they staged."""

    def sandbox_report(self) -> dict:
        """The isolation the submission ran under (results.json's ``extra_data["sandbox"]``)."""


def start(spec: WorkerSpec) -> SubmissionRunner:
    """A confined worker for ``spec``; where this platform has none (not POSIX), the submission in
    this process, said in one line on stderr, unless ``spec.sandbox`` is strict, which refuses."""
    gaps = isolation.posix_gaps()
    if not gaps:
        return WorkerClient(spec)
    lacking = f"no {', '.join(gaps)} on this platform"
    if spec.sandbox == "strict":
        raise SandboxUnavailable(f"--sandbox strict: no worker process can run here ({lacking})")
    print(f"dlgrade: running without the POSIX-only layers (worker process, time and memory limits: {lacking}); "
          "your code runs inside the checker, Ctrl-C stops a loop", file=sys.stderr)
    report = {"mode": spec.sandbox, "isolation": "none", "layers": ["in-process"], "missing": {"worker": lacking}}
    return UnconfinedClient(spec.submission, spec.module, spec.probes, report)
