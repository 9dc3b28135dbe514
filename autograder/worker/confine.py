"""What the worker does to itself before anything of the submission runs.

The harness passes a JSON configuration (argv[3]); ``confine`` applies it, in this order:
resource limits, the drop to the dedicated user (when the harness is root), death with the
harness (without bubblewrap, which does that itself), the working directory, no_new_privs,
Landlock (file system, TCP and signal scoping), a seccomp filter. Then the worker reports on its
response channel which layers it applied ("ready"), before it reads any request:
nothing the submission does can forge that report, because the submission is imported only by the
first request. A layer that was asked for and cannot be applied ends the worker with status 111
and one line on stderr; the harness then refuses to grade rather than grade with less isolation
than it reported.

Standard library only (this folder imports nothing else of autograder); Linux only for the
Landlock and seccomp layers, which the harness asks for only where it has seen them work.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import struct
import sys

from autograder.worker import procctl
from autograder.worker.procctl import libc as _libc

try:
    import resource
except ImportError:  # not POSIX (Windows): the harness starts no worker there (sandbox/runner.py)
    resource = None

SANDBOX_FAILED = 111

_SECCOMP_MODE_FILTER = 2

_RLIMITS = {
    "AS": resource.RLIMIT_AS, "CPU": resource.RLIMIT_CPU, "FSIZE": resource.RLIMIT_FSIZE,
    "NOFILE": resource.RLIMIT_NOFILE, "CORE": resource.RLIMIT_CORE,
    "NPROC": getattr(resource, "RLIMIT_NPROC", None),
} if resource else {}


class ConfineError(Exception):
    pass


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise ConfineError(f"{what}: {os.strerror(err)}")
    return result


# -- resource limits and the user ------------------------------------------------------------------
def apply_rlimits(limits: dict) -> None:
    for name, value in limits.items():
        which = _RLIMITS.get(name)
        if which is None:
            continue
        value = int(value)
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard  # never raise a limit the harness already lowered
        resource.setrlimit(which, (value, value))


def drop_user(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` with no supplementary groups, for good (real, effective and saved)."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid) or os.getgroups():
        raise ConfineError("the drop to the worker user did not take")
    try:
        os.setuid(0)
    except PermissionError:
        pass
    else:
        raise ConfineError("the worker could become root again")
    # Changing credentials made this process non-dumpable; as the worker user it has nothing to
    # hide from itself, and /proc/self stays readable to it (numpy and torch read it).
    _libc().prctl(procctl.PR_SET_DUMPABLE, 1, 0, 0, 0)


def no_new_privs() -> None:
    procctl.prctl(procctl.PR_SET_NO_NEW_PRIVS, 1, "prctl(NO_NEW_PRIVS)")


# -- Landlock ----------------------------------------------------------------------------------------
_LL_CREATE, _LL_ADD_RULE, _LL_RESTRICT = 444, 445, 446
_LL_VERSION = 1
_LL_RULE_PATH_BENEATH = 1
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none (or it is disabled)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        result = _libc().syscall(_LL_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_LL_VERSION))
    except (AttributeError, OSError):
        return 0
    return max(int(result), 0)


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: execute ... make_sym
    if abi >= 2:
        rights |= 1 << 13  # refer
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def apply_landlock(spec: dict) -> dict:
    """Allow reading ``read``, listing (only) ``list``, reading and writing ``write``; deny TCP and
    signals out of the worker's own tree where the kernel knows how.

    Files (not folders) get only file rights, as Landlock requires.
    """
    abi = landlock_abi()
    if abi < 1:
        raise ConfineError("Landlock is not available")
    libc = _libc()
    handled = _fs_rights(abi)
    net = _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 else 0
    scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL if abi >= 6 else 0
    if abi >= 6:
        attr = struct.pack("=QQQ", handled, net, scoped)
    elif abi >= 4:
        attr = struct.pack("=QQ", handled, net)
    else:
        attr = struct.pack("=Q", handled)
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _check(libc.syscall(_LL_CREATE, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0)),
                     "landlock_create_ruleset")
    file_only = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | (handled & (_FS_TRUNCATE | _FS_IOCTL_DEV))
    read_rights = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
    try:
        for paths, rights in ((spec.get("read", ()), read_rights), (spec.get("list", ()), _FS_READ_DIR),
                              (spec.get("write", ()), handled)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # a path this machine lacks needs no rule
                try:
                    allowed = rights & handled
                    if not os.path.isdir(path):
                        allowed &= file_only
                    rule = ctypes.create_string_buffer(struct.pack("=Qi", allowed, fd), 12)
                    _check(libc.syscall(_LL_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_LL_RULE_PATH_BENEATH),
                                        rule, ctypes.c_uint32(0)), f"landlock_add_rule({path})")
                finally:
                    os.close(fd)
        _check(libc.syscall(_LL_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return {"abi": abi, "tcp": bool(net), "scoped": bool(scoped)}


# -- seccomp ------------------------------------------------------------------------------------------
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SYSCALLS = {
    # name: (x86_64, aarch64)
    "socket": (41, 198), "ptrace": (101, 117), "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271), "kcmp": (312, 272), "pidfd_getfd": (438, 438),
    "pidfd_send_signal": (424, 424), "bpf": (321, 280), "perf_event_open": (298, 241),
    "userfaultfd": (323, 282), "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "mount": (165, 40), "umount2": (166, 39),
    "pivot_root": (155, 41), "swapon": (167, 224), "swapoff": (168, 225), "reboot": (169, 142),
    "setns": (308, 268), "unshare": (272, 97), "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264), "chroot": (161, 51), "acct": (163, 89), "quotactl": (179, 60),
    "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "move_mount": (429, 429), "open_tree": (428, 428), "mount_setattr": (442, 442),
    "iopl": (172, None), "ioperm": (173, None), "lookup_dcookie": (212, 18),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "clone3": (435, 435), "clone": (56, 220),
    "kill": (62, 129), "tkill": (200, 130), "tgkill": (234, 131), "rt_sigqueueinfo": (129, 138),
    "rt_tgsigqueueinfo": (297, 240),
}
_DENY_EPERM = ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "bpf",
               "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "kexec_load",
               "kexec_file_load", "init_module", "finit_module", "delete_module", "mount", "umount2",
               "pivot_root", "swapon", "swapoff", "reboot", "setns", "unshare", "open_by_handle_at",
               "name_to_handle_at", "chroot", "acct", "quotactl", "fsopen", "fsconfig", "fsmount", "fspick",
               "move_mount", "open_tree", "mount_setattr", "iopl", "ioperm", "lookup_dcookie")
# io_uring can open sockets behind the filter's back; clone3's flags live in memory the filter
# cannot read (glibc falls back to clone, whose flags it can); pidfd signals bypass the kill rules.
_DENY_ENOSYS = ("io_uring_setup", "io_uring_enter", "io_uring_register", "clone3", "pidfd_send_signal")
_KILLS = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
_CLONE_NEW_NAMESPACES = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
_AF_UNIX = 1
_EPERM, _EACCES, _ENOSYS = 1, 13, 38

_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_ABS_W, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06


def seccomp_arch() -> str | None:
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return machine if sys.platform.startswith("linux") and machine in _AUDIT_ARCH else None


def seccomp_program(arch: str, sockets: str = "none", protect_pid: int | None = None) -> bytes:
    """The classic-BPF filter: deny the syscalls above; ``sockets``: "none" or "unix" (AF_UNIX only).

    ``protect_pid``: a process (the harness, when the worker shares its pid namespace) that the
    worker may not signal; signals to a process group (negative pid) are refused too.
    """
    col = 0 if arch == "x86_64" else 1
    nr = {name: nums[col] for name, nums in _SYSCALLS.items() if nums[col] is not None}
    code: list[tuple] = []  # (op, jt_label | 0, jf_label | 0, k) with labels resolved below

    def emit(op, k=0, jt=0, jf=0):
        code.append((op, jt, jf, k))

    emit(_LD_ABS_W, 4)  # seccomp_data.arch
    emit(_JEQ, _AUDIT_ARCH[arch], jt=1, jf="enosys")
    emit(_LD_ABS_W, 0)  # seccomp_data.nr
    if arch == "x86_64":
        emit(_JGE, 0x40000000, jt="enosys", jf=1)  # x32 ABI
    for name in _DENY_EPERM:
        if name in nr:
            emit(_JEQ, nr[name], jt="eperm", jf=1)
    for name in _DENY_ENOSYS:
        emit(_JEQ, nr[name], jt="enosys", jf=1)
    emit(_JEQ, nr["socket"], jt="socket", jf=1)
    emit(_JEQ, nr["clone"], jt="clone", jf=1)
    for name in _KILLS:
        emit(_JEQ, nr[name], jt="kill", jf=1)
    emit(_RET, _RET_ALLOW)
    labels = {"socket": len(code)}
    if sockets == "unix":
        emit(_LD_ABS_W, 16)  # args[0], low 32 bits: the address family
        emit(_JEQ, _AF_UNIX, jt="allow", jf=1)
    emit(_RET, _RET_ERRNO | _EACCES)
    labels["clone"] = len(code)
    emit(_LD_ABS_W, 16)  # clone flags (the low 32 bits hold every CLONE_NEW*)
    emit(_JSET, _CLONE_NEW_NAMESPACES, jt="eperm", jf="allow")
    labels["kill"] = len(code)
    emit(_LD_ABS_W, 16)  # the target pid, low 32 bits
    emit(_JGE, 0x80000000, jt="eperm", jf=1)  # negative: a process group, or -1: everyone
    if protect_pid:
        emit(_JEQ, int(protect_pid) & 0xFFFFFFFF, jt="eperm", jf="allow")
    # Every jump goes forward: the shared verdicts come last.
    labels["allow"] = len(code)
    emit(_RET, _RET_ALLOW)
    labels["eperm"] = len(code)
    emit(_RET, _RET_ERRNO | _EPERM)
    labels["enosys"] = len(code)
    emit(_RET, _RET_ERRNO | _ENOSYS)

    out = bytearray()
    for index, (op, jt, jf, k) in enumerate(code):
        def rel(target, index=index):
            if isinstance(target, str):
                offset = labels[target] - index - 1
            else:
                offset = target - 1 if target else 0
            if not 0 <= offset <= 255:
                raise ConfineError("seccomp program too long")
            return offset
        out += struct.pack("=HBBI", op, rel(jt), rel(jf), k)
    return bytes(out)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def apply_seccomp(spec: dict) -> dict:
    arch = seccomp_arch()
    if arch is None:
        raise ConfineError(f"no seccomp filter for {platform.machine()}")
    program = seccomp_program(arch, spec.get("sockets", "none"), spec.get("protect_pid"))
    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    _check(_libc().prctl(procctl.PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "seccomp")
    return {"arch": arch, "sockets": spec.get("sockets", "none")}


# -- entry point --------------------------------------------------------------------------------------
def confine(config_json: str) -> dict:
    """Apply the configuration; exit with ``SANDBOX_FAILED`` when a requested layer fails."""
    try:
        config = json.loads(config_json)
        applied: dict = {}
        apply_rlimits(config.get("rlimits", {}))
        applied["rlimits"] = sorted(config.get("rlimits", {}))
        if config.get("drop"):
            uid, gid = config["drop"]
            drop_user(int(uid), int(gid))
            applied["uid"] = int(uid)
        if config.get("parent"):
            # Without a pid namespace nothing else ends the worker if the harness dies abruptly.
            # (Set after the drop: a change of credentials clears it.)
            procctl.prctl(procctl.PR_SET_PDEATHSIG, 9, "prctl(PDEATHSIG)")
            if os.getppid() != int(config["parent"]):
                raise ConfineError("the harness is gone")
        home = config.get("home")
        if home:
            os.chdir(home)
        os.umask(0o077)
        if config.get("landlock") or config.get("seccomp"):
            no_new_privs()
        if config.get("landlock"):
            applied["landlock"] = apply_landlock(config["landlock"])
        if config.get("seccomp"):
            applied["seccomp"] = apply_seccomp(config["seccomp"])
        return applied
    except Exception as exc:  # noqa: BLE001 - any failure here means: do not run the submission
        try:
            os.write(2, f"dlgrade-sandbox: {type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(SANDBOX_FAILED)


def boot(config_json: str, write_fd: int) -> None:
    """Confine, then tell the harness what was applied, as the first frame on the channel."""
    applied = confine(config_json)
    from autograder.worker.wire import packb

    payload = packb({"ok": True, "value": {"ready": True, "applied": json.dumps(applied)}})
    data = len(payload).to_bytes(4, "big") + payload
    while data:
        data = data[os.write(write_fd, data):]
