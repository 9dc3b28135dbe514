"""A dedicated uid of its own for every live worker, leased from a pool of dedicated users.

Two workers under one uid can read each other's staged submission, ``/proc/<pid>/mem``, ``cwd`` and
``environ``, and signal each other: file permissions cannot tell them apart. So the dedicated users
are a pool, ``dlgrade-worker`` and ``dlgrade-worker-1``, ``dlgrade-worker-2``, ... (each with its own
group; ``scripts/setup_sandbox.sh`` creates one per CPU), and a worker holds one of them alone for its
whole life: an exclusive ``flock`` on a root-only lock file, which the kernel drops when the harness
dies. Whoever takes a uid first kills what still runs as it (a daemon of a harness that was killed),
so nothing of an earlier grading is there to read the next one's files. Where every user of the pool
is taken, a new worker waits for one. The first user comes last: other installs of dlgrade on the
machine (older ones lease nothing) use it.
"""

from __future__ import annotations

import fcntl
import os
import stat
import time
from dataclasses import dataclass

from autograder.failures import SandboxUnavailable
from autograder.sandbox import teardown

LOCKS = "/run/dlgrade"
WAIT_SECONDS = 600.0

User = tuple[str, int, int]  # (name, uid, gid): one of ``isolation.find_pool``


def _lock_dir() -> str:
    """The root-only folder of the lock files; refused when anyone else could have made or changed it."""
    try:
        os.mkdir(LOCKS, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise SandboxUnavailable(f"cannot make {LOCKS} for the worker users' leases: {exc}") from None
    st = os.lstat(LOCKS)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise SandboxUnavailable(f"{LOCKS} is not a folder only root can write: the worker users' leases "
                                 "cannot be trusted (remove it)")
    return LOCKS


@dataclass
class Lease:
    """One user of the pool, held until ``release``."""

    user: User
    fd: int

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


def lease(pool: tuple[User, ...], wait: float = WAIT_SECONDS) -> Lease:
    """The first free user of ``pool``, waiting up to ``wait`` seconds for one."""
    folder = _lock_dir()
    deadline = time.monotonic() + wait
    while True:
        for user in (*pool[1:], *pool[:1]):
            fd = os.open(os.path.join(folder, f"uid-{user[1]}.lock"),
                         os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            teardown.kill_user(user[1])
            return Lease(user, fd)
        if time.monotonic() > deadline:
            raise SandboxUnavailable(f"all {len(pool)} worker users are busy with other gradings for {wait:g} s "
                                     "(scripts/setup_sandbox.sh creates more: DLGRADE_WORKER_POOL)")
        time.sleep(0.05)
