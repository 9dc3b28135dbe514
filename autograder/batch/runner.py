"""One local grading process of a batch: ``python -m autograder.batch.runner LAB {all|public} SANDBOX``.

It reads one JSON line per submission on stdin (``{"student", "submission", "digest", "out"}``),
grades it with the submissions folder and the output folder out of its worker's sight,
writes its results.json atomically and answers one JSON line on its protocol channel (the stdout
it was started with). Only plain data crosses. Student code never runs here: the engine gives it
a worker process of its own, so what this process prints or raises is the harness's alone.

SIGTERM (an interrupted batch) stops the grading in progress and exits without writing its
results: the worker is stopped and every temporary folder removed on the way out.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from autograder.worker.procctl import die_with_parent

_stopping = False


def _terminate(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM as KeyboardInterrupt: pytest ends its session on it, where it would take a
    SystemExit for one more failed test and go on; the ``finally`` blocks and context managers of
    the grading (the worker's stop, its staging, the pipeline's folders) then clean up."""
    global _stopping
    if not _stopping:  # a second SIGTERM must not interrupt the cleanup of the first
        _stopping = True
        raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    # A batch killed with SIGKILL leaves no orphaned graders behind (Linux; elsewhere they exit at EOF).
    die_with_parent()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return _serve(argv)
    except KeyboardInterrupt:
        return 128 + signal.SIGTERM


def _serve(argv: list[str]) -> int:
    lab_name, tests, sandbox = argv
    # The protocol keeps the original stdout; anything else printed goes to stderr (the log).
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    from autograder.batch.jobs import Submission, store
    from autograder.grading.pipeline import GradingOptions, grade_results
    from autograder.labs import find_lab

    lab = find_lab(lab_name)
    channel.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        submission = Path(job["submission"])
        protect = (submission.resolve().parent, Path(job["out"]).resolve())
        options = GradingOptions(hidden=tests == "all", sandbox=sandbox, protect=protect)
        _report, data = grade_results(lab, submission, options)
        if _stopping:  # pytest returned early: the results are incomplete
            raise KeyboardInterrupt
        store(Path(job["out"]), Submission(job["student"], submission, job["digest"]), data)
        channel.write(json.dumps({"student": job["student"], "score": data.get("score", 0)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
