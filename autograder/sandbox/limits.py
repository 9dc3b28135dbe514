"""Resource limits, parsed once from lab.toml (``[limits]``), and the budgets of the machines that grade.

``memory_mb`` bounds the resident memory of the worker's whole process tree (``memory.py``: a
cgroup, or a watchdog where none can be made), what a Gradescope container counts: importing numpy
takes about 30 MB of it, CPU torch about 250 MB. ``cpus`` is a CPU quota for that tree (a cgroup's;
0: none). ``tmp_mb`` and ``shm_mb`` size the worker's
private ``/tmp`` and ``/dev/shm`` under bubblewrap. ``processes`` caps the processes and threads of
the dedicated worker user (RLIMIT_NPROC counts per uid, so every worker running at the same time
on the machine shares it; applied only when there is a dedicated user). ``reply_mb`` bounds one
reply of the worker as the harness reads it: the references of the seven labs send at most 0.8 MB
(dqn), so the default leaves ten times that; a larger reply fails its test as the submission's
fault. ``output_bytes`` bounds what one test keeps of what the submission prints.

A budget (``dlgrade validate/grade --budget``) grades as a given machine would: ``gradescope`` is
Gradescope's default container (half a CPU, 768 MB), ``local`` this machine under the lab's limits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    cpus: float = 0.0
    cpu_seconds: int = 3600
    file_size_mb: int = 64
    open_files: int = 256
    processes: int = 256
    output_bytes: int = 16384
    reply_mb: float = 8.0
    tmp_mb: int = 256
    shm_mb: int = 64


def address_space_mb(limits: Limits) -> int:
    """The worker's address space limit (RLIMIT_AS): a backstop, never what decides (``memory.py``)."""
    return max(4 * limits.memory_mb, 8192)


@dataclass(frozen=True)
class Budget:
    cpus: float = 0.0
    memory_mb: int | None = None  # None: the lab's own


BUDGETS = {"local": Budget(), "gradescope": Budget(cpus=0.5, memory_mb=768)}


def under_budget(limits: Limits, budget: str) -> Limits:
    """``limits`` on the machine ``budget`` names: its CPU quota, and no more memory than it has."""
    machine = BUDGETS[budget]
    memory = limits.memory_mb if machine.memory_mb is None else min(limits.memory_mb, machine.memory_mb)
    return replace(limits, memory_mb=memory, cpus=machine.cpus or limits.cpus)
