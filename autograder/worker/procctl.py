"""prctl(2), the one Linux call the harness and the worker both need (standard library only).

The worker uses it to confine itself, the harness to stay the parent of every process a worker
starts, and batch graders to end with the batch. Elsewhere than Linux each helper says it could
not, and callers fall back to what the platform offers.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38


class PrctlError(OSError):
    pass


def libc() -> ctypes.CDLL:
    lib = ctypes.CDLL(None, use_errno=True)
    lib.syscall.restype = ctypes.c_long
    lib.prctl.restype = ctypes.c_int
    return lib


def prctl(option: int, arg2: int | ctypes._Pointer = 0, what: str = "prctl") -> None:
    """``prctl(option, arg2, 0, 0, 0)``; raises ``PrctlError`` naming ``what`` when it fails."""
    if not sys.platform.startswith("linux"):
        raise PrctlError(f"{what}: Linux only")
    if libc().prctl(option, arg2, 0, 0, 0) < 0:
        err = ctypes.get_errno()
        raise PrctlError(err, f"{what}: {os.strerror(err)}")


def die_with_parent() -> bool:
    """SIGKILL this process when its parent dies (so nothing outlives the process that started it)."""
    try:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), "prctl(PDEATHSIG)")
    except (PrctlError, OSError, AttributeError):
        return False
    return True


def become_subreaper() -> bool:
    """Orphans of this process's descendants are re-parented here instead of to init (Linux 3.4+)."""
    try:
        prctl(PR_SET_CHILD_SUBREAPER, 1, "prctl(CHILD_SUBREAPER)")
    except (PrctlError, OSError, AttributeError):
        return False
    return True
