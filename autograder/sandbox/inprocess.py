"""No isolation at all: the worker's operations answered inside this very process.

For Otter's in-process model and for the benchmark's baseline only; never for grading untrusted code.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any


class InProcessClient:
    """The worker's operations on a module of this very process (a ``SubmissionRunner``).

    It answers what the grading plugin and the ``student`` fixture ask of a ``WorkerClient``.
    Requests and replies still go through the wire codec, so the tests get copies, exactly as
    from a worker; but nothing separates the submission from the harness.
    """

    def __init__(self, module: types.ModuleType | None, probes: Path | None = None) -> None:
        from autograder.worker.main import Worker, _import_file

        self.worker = Worker()
        self.worker.module = module
        if probes:
            self.worker.probes = _import_file("_dlgrade_probes", str(probes))
        self.handlers = {name.removeprefix("op_"): getattr(self.worker, name)
                         for name in dir(self.worker) if name.startswith("op_")}
        self.import_error = None
        self.sandbox_error = None
        self.starts = 1
        self.pending_seed: int | None = None
        self.poisoned: Exception | None = None

    @classmethod
    def for_file(cls, path: Path, module: str, probes: Path | None = None) -> InProcessClient:
        """The submission at ``path``, imported into this process as ``module`` (baselines and benchmarks)."""
        from autograder.worker.main import _import_file

        return cls(_import_file(module, str(Path(path).resolve())), probes)

    def begin_test(self, *, seed: int, limit: float) -> None:
        self.pending_seed, self.poisoned = seed, None  # no limit: nothing could enforce it here

    def poison(self, failure: Exception) -> None:
        self.poisoned = failure

    def take_output(self) -> str:
        return ""  # what the submission prints goes to the kernel's own output

    def prestart(self) -> None:
        pass  # nothing starts in the background: the submission runs in this process

    def stop(self) -> None:
        pass

    def sandbox_report(self) -> dict:
        return {"mode": "in-process", "isolation": "none", "layers": []}

    def request(self, req: dict, function: str | None) -> Any:
        from autograder.failures import StudentError
        from autograder.worker.main import _reseed, describe
        from autograder.worker.wire import packb, unpackb

        if self.poisoned is not None:
            raise self.poisoned
        if self.pending_seed is not None:
            _reseed(self.pending_seed)
            self.pending_seed = None
        req = unpackb(packb(req))
        try:
            value = self.handlers[req["op"]](req)
        except Exception as exc:
            failure = StudentError(function, describe(exc, self.worker.path))
            # As WorkerClient does: a missing or unwritten function fails the rest of its test at once.
            if failure.same_for_any_input:
                self.poisoned = failure
            raise failure from None
        return unpackb(packb(value))


class UnconfinedClient(InProcessClient):
    """Where no worker process can run (not POSIX: Windows), the submission in the checker's own
    process: imported at the first request, as a worker imports it, an import that fails being an
    ``ImportFailure`` as from a worker. Nothing bounds its time or memory."""

    def __init__(self, submission: Path, module: str, probes: Path | None, report: dict) -> None:
        super().__init__(None, probes)
        self.submission, self.module_name, self.report = str(submission), module, report
        self.starts = 0

    def sandbox_report(self) -> dict:
        return self.report

    def request(self, req: dict, function: str | None) -> Any:
        if self.import_error is not None:
            raise self.import_error
        if self.worker.module is None:
            self._load()
        return super().request(req, function)

    def _load(self) -> None:
        from autograder.failures import ImportFailure
        from autograder.worker.main import _import_file, describe

        self.starts += 1
        self.worker.path = self.submission
        try:
            self.worker.module = _import_file(self.module_name, self.submission)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - whatever the import raised is the submission's
            self.import_error = ImportFailure(None, describe(exc, self.submission))
            raise self.import_error from None
