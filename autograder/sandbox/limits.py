"""Resource limits, parsed once from lab.toml (``[limits]``); the worker applies them to itself.

``memory_mb`` is the worker's address space (RLIMIT_AS, virtual memory, not resident): importing
numpy maps about 140 MB, importing CPU torch about 650 MB, so torch labs need 768 or more plus what
their models use; the default (4096) suits both. ``tmp_mb`` and ``shm_mb`` size the worker's
private ``/tmp`` and ``/dev/shm`` under bubblewrap. ``processes`` caps the processes and threads of
the dedicated worker user (RLIMIT_NPROC counts per uid, so every worker running at the same time
on the machine shares it; applied only when there is a dedicated user). ``reply_mb`` bounds one
reply of the worker as the harness reads it: the references of the seven labs send at most 0.8 MB
(dqn), so the default leaves ten times that; a larger reply fails its test as the submission's
fault. ``output_bytes`` bounds what one test keeps of what the submission prints.
"""

from __future__ import annotations

from dataclasses import dataclass

# Single-threaded BLAS, OpenMP and torch in every grading process and worker: sums come out the
# same on every machine, and parallel gradings do not fight over cores.
SINGLE_THREAD_ENV = {name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                            "NUMEXPR_NUM_THREADS")}


@dataclass(frozen=True)
class Limits:
    test_timeout: float = 20.0
    import_timeout: float = 30.0
    total_timeout: float = 1800.0
    memory_mb: int = 4096
    cpu_seconds: int = 3600
    file_size_mb: int = 64
    open_files: int = 256
    processes: int = 256
    output_bytes: int = 16384
    reply_mb: float = 8.0
    tmp_mb: int = 256
    shm_mb: int = 64
