"""Which isolation layers a worker gets: what this machine offers, probed once, and the plan.

Layers, strongest first (docs/sandbox.md says what each one stops and what its absence costs):

- ``uid``: when the harness is root, the worker runs as a dedicated unprivileged user of its own
  (``dlgrade-worker`` or another of its pool, ``uids.py``; supplementary groups cleared) and cannot
  read or write what root keeps, nor reach another worker;
- ``bubblewrap``: new pid, network, IPC, UTS and mount namespaces; the worker sees a read-only
  system, the interpreter and its packages, its own copy of the submission and size-limited
  tmpfs ``/tmp`` and ``/dev/shm``; nothing else of the grading material exists there;
- ``landlock`` (without bubblewrap): the kernel lets the worker read only the system, the
  interpreter and its packages and its copy of the submission, write only its own folder, connect
  or bind no TCP port and signal no process outside its own tree;
- ``seccomp``: no sockets (AF_UNIX only inside bubblewrap's empty network), no ptrace or
  process_vm_*, no io_uring, bpf, keyctl, mount, namespaces, no signal to a process group or the
  harness;
- ``rlimits`` (always, also with ``--sandbox none``): address space (a backstop: ``memory.py`` limits
  resident memory), CPU seconds, file size, open files, no core dumps, and the process count when
  the uid is dedicated.

``DLGRADE_SANDBOX_DISABLE=bwrap,landlock,...`` switches layers off (tests of the fallbacks, or a
machine where one misbehaves; ``cgroup``: ``memory.py``'s watchdog instead); ``DLGRADE_WORKER_USER``
names another dedicated user.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

from autograder.failures import SandboxUnavailable
from autograder.worker import confine

try:
    import pwd
except ImportError:  # not POSIX (Windows): no worker runs there, see posix_gaps
    pwd = None

MODES = ("auto", "strict", "none")
DEFAULT_USER = "dlgrade-worker"
SYSTEM_TOPS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


@dataclass(frozen=True)
class Host:
    """What this machine offers, probed once per process."""

    root: bool
    user: tuple[str, int, int] | None  # the dedicated user (name, uid, gid), when root and it exists
    user_note: str
    pool: tuple[tuple[str, int, int], ...]  # it and the other dedicated users: one per live worker (uids.py)
    bwrap: str | None
    bwrap_note: str
    landlock: int
    seccomp: str | None


@dataclass(frozen=True)
class Plan:
    """The layers one worker gets; ``describe()`` goes into results.json (``extra_data``)."""

    mode: str
    root: bool = False
    user: tuple[str, int, int] | None = None  # the pool's first user: what results.json names
    users: tuple[tuple[str, int, int], ...] = ()  # the pool a worker leases its own uid from
    bwrap: str | None = None
    landlock: bool = False
    seccomp: bool = False
    missing: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def pid_namespace(self) -> bool:
        return self.bwrap is not None

    @property
    def strong(self) -> bool:
        """Namespaces, and when root also a dedicated uid: what ``--sandbox strict`` demands."""
        return self.bwrap is not None and (self.user is not None or not self.root)

    @property
    def layers(self) -> list[str]:
        out = []
        if self.user:
            out.append(f"uid:{self.user[0]}")
        if self.bwrap:
            out.append("bubblewrap")
        if self.landlock:
            out.append("landlock")
        if self.seccomp:
            out.append("seccomp")
        out.append("rlimits")
        return out

    def describe(self) -> dict:
        return {"mode": self.mode, "isolation": "strong" if self.strong else ("none" if self.mode == "none"
                                                                               else "partial"),
                "layers": self.layers, "missing": {name: why for name, why in self.missing},
                **({"notes": list(self.notes)} if self.notes else {})}

    def summary(self) -> str:
        text = f"sandbox {self.mode}: " + ", ".join(self.layers)
        if self.missing and self.mode != "none":
            text += " (without " + "; ".join(f"{name}: {why}" for name, why in self.missing) + ")"
        return text


def posix_gaps() -> list[str]:
    """What a worker process needs of POSIX and this platform lacks (all of it on Windows): its
    pipes and process group, its resource limits, the user database. Empty where a worker runs."""
    gaps = [] if os.name == "posix" else ["POSIX processes"]
    return gaps + [name for name, module in (("resource", confine.resource), ("pwd", pwd)) if module is None]


def disabled() -> set[str]:
    """The layers DLGRADE_SANDBOX_DISABLE switches off."""
    return {part.strip() for part in os.environ.get("DLGRADE_SANDBOX_DISABLE", "").split(",") if part.strip()}


@functools.cache
def probe_host() -> Host:
    linux = sys.platform.startswith("linux")
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    user, user_note, pool = None, "", ()
    name = os.environ.get("DLGRADE_WORKER_USER", DEFAULT_USER)
    if not root:
        user_note = "not root: the worker runs as the grading user"
    elif not linux:
        user_note = "not Linux"
    else:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            user_note = f"no user {name} (run scripts/setup_sandbox.sh as root)"
        else:
            if entry.pw_uid == 0 or entry.pw_gid == 0:
                user_note = f"user {name} is privileged (uid or gid 0): not used"
            else:
                user = (name, entry.pw_uid, entry.pw_gid)
                pool = tuple(find_pool(name))
    bwrap, bwrap_note = None, ""
    if not linux:
        bwrap_note = "not Linux"
    elif (path := shutil.which("bwrap") or next((p for p in ("/usr/bin/bwrap", "/bin/bwrap")
                                                if os.access(p, os.X_OK)), None)) is None:
        bwrap_note = "bubblewrap is not installed (apt-get install bubblewrap)"
    else:
        bwrap_note = _probe_bwrap(path, root)
        if not bwrap_note:
            bwrap = path
    return Host(root=root, user=user, user_note=user_note, pool=pool, bwrap=bwrap,
                bwrap_note=bwrap_note, landlock=confine.landlock_abi() if linux else 0,
                seccomp=confine.seccomp_arch())


def find_pool(base: str, most: int = 256) -> list[tuple[str, int, int]]:
    """The dedicated users that exist: ``base``, then ``base-1``, ``base-2``, ... up to the first
    missing one; privileged entries (uid or gid 0) are left out."""
    found = []
    for name in [base, *(f"{base}-{i}" for i in range(1, most))]:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            break
        if entry.pw_uid != 0 and entry.pw_gid != 0:
            found.append((name, entry.pw_uid, entry.pw_gid))
    return found


@functools.cache
def user_runs_python(uid: int, gid: int) -> bool:
    """Whether ``uid`` can run this very interpreter (same base prefix), outside any namespace."""
    code = f"import sys; sys.exit(sys.base_prefix != {sys.base_prefix!r})"
    try:
        return subprocess.run([sys.executable, "-I", "-S", "-c", code], user=uid, group=gid, extra_groups=[],
                              env={}, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _probe_bwrap(path: str, root: bool) -> str:
    """"" when bubblewrap can build our kind of sandbox here, else why not."""
    argv = [path, *namespace_args(root), *system_binds(),
            "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(1 << 20), "--tmpfs", "/tmp",
            "--", "/bin/true" if os.path.exists("/bin/true") else "/usr/bin/true"]
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap does not start: {exc}"
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "bubblewrap cannot create namespaces here" + (f": {detail[-1]}" if detail else "")
    return ""


def namespace_args(root: bool) -> list[str]:
    args = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try", "--hostname", "dlgrade"]
    if root:
        # As root bubblewrap keeps every capability unless told otherwise, and its own --uid would
        # not help: keep only what the worker needs to drop to the dedicated user itself.
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user", "--disable-userns"]
    return args


def system_binds() -> list[str]:
    args: list[str] = []
    for top in SYSTEM_TOPS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args


def plan(mode: str = "auto") -> Plan:
    """The layers for ``mode``; ``strict`` raises ``SandboxUnavailable`` without strong isolation."""
    if mode not in MODES:
        raise ValueError(f"--sandbox must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "none":
        return Plan(mode="none", missing=(("all", "--sandbox none: trusted local use, resource limits only"),))
    host = probe_host()
    off = disabled()
    missing: list[tuple[str, str]] = []

    bwrap = host.bwrap if "bwrap" not in off else None
    if bwrap is None:
        missing.append(("bubblewrap", "disabled by DLGRADE_SANDBOX_DISABLE" if "bwrap" in off else host.bwrap_note))

    user = host.user if "uid" not in off else None
    users = host.pool if user else ()
    if host.root:
        if user is None:
            missing.append(("uid", "disabled by DLGRADE_SANDBOX_DISABLE" if "uid" in off else host.user_note))
        elif bwrap is None:
            # Outside a namespace each user runs the interpreter from its real place.
            users = tuple(u for u in users if user_runs_python(u[1], u[2]))
            if not users:
                missing.append(("uid", f"{user[0]} cannot reach {sys.executable} "
                                       "(run scripts/setup_sandbox.sh as root)"))
                user = None

    landlock = False
    if bwrap is None:
        if "landlock" in off:
            missing.append(("landlock", "disabled by DLGRADE_SANDBOX_DISABLE"))
        elif host.landlock >= 1:
            landlock = True
        else:
            missing.append(("landlock", "the kernel offers no Landlock (Linux 5.13+ with Landlock enabled)"))

    seccomp = host.seccomp is not None and "seccomp" not in off
    if not seccomp:
        missing.append(("seccomp", "disabled by DLGRADE_SANDBOX_DISABLE" if "seccomp" in off
                        else "no seccomp filter for this system"))
    result = Plan(mode=mode, root=host.root, user=user, users=users, bwrap=bwrap, landlock=landlock, seccomp=seccomp,
                  missing=tuple(missing))
    if mode == "strict" and not result.strong:
        why = "; ".join(f"{name}: {reason}" for name, reason in missing if name in ("bubblewrap", "uid"))
        raise SandboxUnavailable(f"--sandbox strict: strong isolation is not available here ({why})")
    return result
