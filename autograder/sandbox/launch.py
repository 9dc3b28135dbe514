"""How a worker process is started: its command line, environment and working directory.

Isolation layers (issue: sandbox) wrap the command built here; the protocol does not change.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import autograder

PACKAGE_PARENT = str(Path(autograder.__file__).resolve().parent.parent)

# Single-threaded BLAS and torch: deterministic sums, and parallel graders do not oversubscribe.
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")
# Kept from the harness' environment: hardware workarounds, never secrets.
_PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")


@dataclass
class WorkerCommand:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    extra: dict = field(default_factory=dict)


def boot_code(package_parent: str) -> str:
    return (
        f"import sys; sys.path.insert(0, {package_parent!r}); "
        "from autograder.worker.main import main; main()"
    )


def worker_command(read_fd: int, write_fd: int, workdir: str) -> WorkerCommand:
    env = {"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    env.update({name: "1" for name in _THREAD_VARS})
    env.update({name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ})
    argv = [sys.executable, "-I", "-B", "-c", boot_code(PACKAGE_PARENT), str(read_fd), str(write_fd)]
    return WorkerCommand(argv=argv, env=env, cwd=workdir)
