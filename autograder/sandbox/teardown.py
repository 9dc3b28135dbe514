"""Ending a worker for good: every process it started, wherever it went, and the files it left.

Under bubblewrap the worker is the init of its own pid namespace: killing it kills every process
of the namespace, ``setsid()`` or not, and its ``/tmp`` and ``/dev/shm`` are tmpfs that vanish with
it. Without a pid namespace the harness makes itself a child subreaper, so processes that leave
the worker's tree (double fork, ``setsid()``) are re-parented to the harness instead of init, and
kills them round after round until none is left; files the worker user left in the shared
temporary folders are removed.
"""

from __future__ import annotations

import os
import signal
import time

from autograder.worker import procctl

SHARED_TMP = ("/tmp", "/var/tmp", "/dev/shm")
_subreaper = False


def become_subreaper() -> bool:
    """Orphans of the harness' descendants come back to the harness (once per process)."""
    global _subreaper
    _subreaper = _subreaper or procctl.become_subreaper()
    return _subreaper


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (ppid, state, uid) for every process visible in /proc."""
    out = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                data = fh.read()
            uid = os.stat(f"/proc/{name}").st_uid
        except OSError:
            continue
        rest = data[data.rfind(b")") + 2:].split()
        if len(rest) < 2:
            continue
        out[int(name)] = (int(rest[1]), rest[0].decode(), uid)
    return out


def children_of(pid: int) -> set[int]:
    """The direct children of ``pid`` now (the harness' own, before a worker starts)."""
    return {child for child, (ppid, _state, _uid) in _processes().items() if ppid == pid}


def _below(procs: dict[int, tuple[int, str, int]], roots) -> set[int]:
    """``roots`` and every process below them in ``procs``."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _state, _uid) in procs.items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        pid = stack.pop()
        if pid not in found:
            found.add(pid)
            stack.extend(children.get(pid, ()))
    return found


def tree(root: int) -> set[int]:
    """``root`` and every process below it now (empty when ``root`` is gone)."""
    procs = _processes()
    return _below(procs, [root]) if root in procs else set()


def _reap(pids) -> set[int]:
    """Reap those of ``pids`` that are dead children of the harness; returns the ones reaped."""
    reaped = set()
    for pid in pids:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                reaped.add(pid)
        except (ChildProcessError, OSError):
            pass
    return reaped


def kill_tree(root_pid: int | None, *, worker_uid: int | None, exclude: set[int] = frozenset(),
              rounds: int = 100) -> int:
    """SIGKILL ``root_pid``, its descendants and the orphans they left with the harness.

    ``root_pid`` is None once the worker is reaped (its pid may be another process's by then): its
    descendants are orphans of the harness already, found as such.

    An orphan is a child of the harness that is not one of its workers (``exclude``) and that
    runs as ``worker_uid`` (the dedicated user) or, when the worker shares the harness' uid, that
    is in a session of its own. Returns how many processes were killed.
    """
    me = os.getpid()
    my_sid = os.getsid(0)
    killed: set[int] = set()
    reaped: set[int] = set()  # free pids now, perhaps another process's already: never signalled again
    for _ in range(rounds):
        procs = _processes()
        stack = [*([root_pid] if root_pid is not None else []), *(killed - reaped)]
        for pid, (ppid, _state, uid) in procs.items():
            if ppid != me or pid in exclude or pid == root_pid:
                continue
            if worker_uid is not None and uid == worker_uid:
                stack.append(pid)
            elif worker_uid is None and _sid(pid) not in (my_sid, None):
                stack.append(pid)
        targets = _below(procs, stack)
        alive = {pid for pid in targets if pid in procs and procs[pid][1] not in ("Z", "X")}
        if not alive:
            break
        _kill(alive)
        killed |= alive
        reaped |= _reap(killed - reaped - {root_pid})
        time.sleep(0.005)
    _reap(killed - reaped - {root_pid})
    return len(killed)


def _kill(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _running_as(uid: int) -> set[int]:
    """The processes (not zombies) whose real, effective or saved uid is ``uid`` (from ``status``:
    the owner of ``/proc/<pid>`` is root's for a process that made itself non-dumpable)."""
    out = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as fh:
                fields = dict(line.split(b":", 1) for line in fh if b":" in line)
            state, uids = fields[b"State"].split()[0], fields[b"Uid"].split()[:3]
        except (OSError, KeyError, IndexError, ValueError):
            continue
        if state not in (b"Z", b"X") and str(uid).encode() in uids:
            out.add(int(name))
    return out


def kill_user(uid: int, rounds: int = 50) -> int:
    """SIGKILL every process running as ``uid`` until none is left; returns how many there were."""
    killed: set[int] = set()
    for _ in range(rounds):
        alive = _running_as(uid)
        if not alive:
            break
        _kill(alive)
        killed |= alive
        time.sleep(0.01)
    return len(killed)


def _sid(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def wait_gone(pid: int, timeout: float = 2.0) -> bool:
    """Wait until ``pid`` is dead (gone or a zombie); reap it if it is ours."""
    end = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return True
        except ChildProcessError:
            pass
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                data = fh.read()
        except OSError:
            return True
        state = data[data.rfind(b")") + 2:].split()[:1]
        if state and state[0] in (b"Z", b"X"):
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.005)


def snapshot_shared_tmp() -> dict[str, set[str]]:
    out = {}
    for folder in SHARED_TMP:
        try:
            out[folder] = set(os.listdir(folder))
        except OSError:
            out[folder] = set()
    return out


def clean_shared_tmp(owner_uid: int, before: dict[str, set[str]]) -> list[str]:
    """Remove what ``owner_uid`` (the dedicated worker user) created in the shared temporary
    folders since ``before``; returns what was removed."""
    from autograder.sandbox.launch import rmtree

    removed = []
    for folder, names in before.items():
        try:
            now = os.listdir(folder)
        except OSError:
            continue
        for name in now:
            if name in names:
                continue
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if st.st_uid != owner_uid:
                continue
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    rmtree(path)
                else:
                    os.unlink(path)
                removed.append(path)
            except OSError:
                pass
    return removed
