"""How a worker process is started: its staged files, command line, environment and confinement.

The worker never runs from the project: ``Staging`` copies the worker's code (``autograder/worker``
alone), the submission and the lab's probes into a private folder, readable by the worker user
only. Under bubblewrap these copies are all it sees of the grading material; without it, Landlock
(or file permissions) keeps it from the rest. The protocol does not change with the layers.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox.isolation import Plan, namespace_args, system_binds
from autograder.sandbox.limits import SINGLE_THREAD_ENV, Limits, address_space_mb

WORKER_SOURCE = Path(__file__).resolve().parent.parent / "worker"
INSIDE = "/opt/dlgrade"  # where bubblewrap shows the staged files
MIB = 1024 * 1024

# Kept from the harness' environment: hardware workarounds, never secrets.
_PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")
# What of /etc a Python process needs: the loader's cache, names of users and groups, time zone.
_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/passwd", "/etc/group",
        "/etc/nsswitch.conf", "/etc/localtime", "/etc/alternatives", "/etc/fonts")
_DEVICES_READ = ("/dev/urandom", "/dev/random", "/dev/zero", "/dev/full")


@dataclass
class WorkerCommand:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    submission: str  # the submission's path as the worker sees it
    probes: str | None
    config: dict = field(default_factory=dict)


def _chown_tree(path: Path, gid: int) -> None:
    for dirpath, _dirnames, filenames in os.walk(path):
        os.chown(dirpath, 0, gid)
        os.chmod(dirpath, 0o750)
        for name in filenames:
            target = os.path.join(dirpath, name)
            os.chown(target, 0, gid)
            os.chmod(target, 0o640)


def rmtree(path: str | os.PathLike) -> None:
    """Remove a folder the worker wrote into, even where it took away its own permissions."""
    def fix(func, target, _exc):
        try:
            os.chmod(os.path.dirname(target), 0o700)
            if os.path.isdir(target) and not os.path.islink(target):
                os.chmod(target, 0o700)
                shutil.rmtree(target)  # a folder it could not enter: its entries were never reached
            else:
                func(target)
        except OSError:
            pass
    shutil.rmtree(path, onerror=fix)


def _staging_parent(plan: Plan) -> str | None:
    """Where the worker's folder is made: the system's temporary folder, unless a dedicated user
    must reach it there without bubblewrap's own /tmp and cannot pass through it (a /tmp of mode
    0700, as some containers have): then the first shared one it can pass through."""
    if not plan.user or plan.bwrap:
        return None
    return shared_temp_parent()  # None: the worker then says, in its own words, which folder it could not enter


def shared_temp_parent() -> str | None:
    """The first temporary folder that every user can pass through: the system's, else /var/tmp or
    /dev/shm; None when none is."""
    return next((p for p in (tempfile.gettempdir(), "/var/tmp", "/dev/shm") if _passable(p)), None)


def _passable(path: str) -> bool:
    """Whether any user may pass through ``path`` and every folder above it."""
    folder = Path(os.path.realpath(path))
    try:
        return all(os.stat(f).st_mode & 0o001 for f in (folder, *folder.parents))
    except OSError:
        return False


class Staging:
    """The worker's private copies (code, submission, probes, import stubs) and its home folder."""

    def __init__(self, submission: Path, probes: Path | None, forbidden: tuple[str, ...], plan: Plan) -> None:
        self.plan = plan
        self.root = Path(tempfile.mkdtemp(prefix="dlgrade-run-", dir=_staging_parent(plan)))
        try:
            worker = self.root / "pkg" / "autograder" / "worker"
            worker.mkdir(parents=True)
            (worker.parent / "__init__.py").write_text('"""dlgrade: the worker\'s staged copy."""\n')
            for source in WORKER_SOURCE.glob("*.py"):
                shutil.copyfile(source, worker / source.name)
            (self.root / "sub").mkdir()
            self.submission = self.root / "sub" / submission.name
            shutil.copyfile(submission, self.submission)
            self.probes = None
            if probes is not None:
                (self.root / "lab").mkdir()
                self.probes = self.root / "lab" / "probes.py"
                shutil.copyfile(probes, self.probes)
            self.stubs: dict[str, Path] = {}
            for name in forbidden:
                stub = self.root / "stubs" / name
                stub.mkdir(parents=True)
                (stub / "__init__.py").write_text(
                    f"raise ImportError({f'import of {name!r} is not allowed in this lab'!r})\n")
                self.stubs[name] = stub
            if plan.user:
                _chown_tree(self.root, plan.user[2])
                os.chmod(self.root, 0o710)
        except BaseException:
            rmtree(self.root)
            raise
        self.home = self.root / "home"

    def new_home(self) -> Path:
        """A fresh, empty home (cwd, HOME, TMPDIR) for the next worker, owned by the worker user."""
        if self.home.exists():
            rmtree(self.home)
        self.home.mkdir(mode=0o700)
        if self.plan.user:
            os.chown(self.home, self.plan.user[1], self.plan.user[2])
        return self.home

    def remove(self) -> None:
        rmtree(self.root)


def boot_code(package_parent: str) -> str:
    return (
        f"import sys; sys.path.insert(0, {package_parent!r}); "
        "from autograder.worker.confine import boot; boot(sys.argv[3], int(sys.argv[2])); "
        "from autograder.worker.main import main; main()"
    )


# -- what the interpreter needs ------------------------------------------------------------------
def _existing(paths) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p and os.path.exists(p):
            for candidate in (os.path.abspath(p), os.path.realpath(p)):
                if candidate not in out:
                    out.append(candidate)
    return out


def _outermost(paths: list[str]) -> list[str]:
    """Drop paths inside another one of the list, and those under the bound system folders."""
    system = [os.path.realpath(t) for t in ("/usr",) if os.path.isdir(t)]
    keep = []
    for p in sorted(set(paths), key=len):
        if any(p == q or p.startswith(q.rstrip("/") + "/") for q in keep + system):
            continue
        keep.append(p)
    return keep


def python_roots() -> list[str]:
    """Folders holding the interpreter, its standard library and its packages."""
    paths = sysconfig.get_paths()
    return _outermost(_existing([
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        paths.get("stdlib"), paths.get("platstdlib"), paths.get("purelib"), paths.get("platlib"),
        *site.getsitepackages(),
    ]))


def site_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    dirs = _existing([paths.get("purelib"), paths.get("platlib"), *site.getsitepackages(),
                      *(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))])
    return dirs


def forbidden_locations(forbidden: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, path) of each installed forbidden package: a folder or a single-file module."""
    found = []
    for directory in site_dirs():
        for name in forbidden:
            for candidate in (os.path.join(directory, name), os.path.join(directory, name + ".py")):
                if os.path.exists(candidate):
                    found.append((name, candidate))
    return found


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _ancestors(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        parts = Path(p).parts
        for i in range(2, len(parts)):
            a = str(Path(*parts[:i]))
            if a not in out:
                out.append(a)
    return out


# -- the command ---------------------------------------------------------------------------------------
def worker_command(plan: Plan, staging: Staging, limits: Limits, read_fd: int, write_fd: int,
                   info_fd: int | None = None, forbidden: tuple[str, ...] = (),
                   protect: tuple[Path, ...] = ()) -> WorkerCommand:
    inside = plan.bwrap is not None
    home = "/tmp" if inside else str(staging.home)

    def where(path: Path | None) -> str | None:
        if path is None:
            return None
        return f"{INSIDE}/{path.relative_to(staging.root)}" if inside else str(path)

    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    env.update(SINGLE_THREAD_ENV)
    env.update({name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ})

    rlimits = {"AS": address_space_mb(limits) * MIB, "CPU": limits.cpu_seconds, "FSIZE": limits.file_size_mb * MIB,
               "NOFILE": limits.open_files, "CORE": 0}
    if plan.user:
        rlimits["NPROC"] = limits.processes  # counted per uid: meaningful only for a dedicated one
    config: dict = {"rlimits": rlimits, "home": home}
    if plan.user:
        config["drop"] = [plan.user[1], plan.user[2]]
    if not inside and sys.platform.startswith("linux"):
        config["parent"] = os.getpid()
    roots = python_roots()
    secrets = [os.path.realpath(p) for p in protect if os.path.exists(p)]
    masked = forbidden_locations(forbidden)
    if plan.landlock:
        config["landlock"] = _landlock_rules(roots, staging, home, masked, secrets)
    if plan.seccomp:
        config["seccomp"] = {"sockets": "unix" if inside else "none",
                             "protect_pid": None if inside else os.getpid()}

    python = sys.executable
    worker_argv = [python, "-I", "-B", "-c", boot_code(where(staging.root / "pkg")), str(read_fd), str(write_fd),
                   json.dumps(config)]
    if not inside:
        # Started in "/": the worker enters its home itself, as its own user (root may lack the right to).
        return WorkerCommand(argv=worker_argv, env=env, cwd="/", submission=str(staging.submission),
                             probes=where(staging.probes), config=config)

    argv = [plan.bwrap, *namespace_args(plan.root),
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(limits.tmp_mb * MIB), "--tmpfs", "/tmp",
            "--perms", "1777", "--size", str(limits.shm_mb * MIB), "--tmpfs", "/dev/shm",
            *system_binds()]
    for path in _ETC:
        argv += ["--ro-bind-try", path, path]
    # Folders bubblewrap creates on the way to a bind are private to root unless made otherwise.
    # Below /tmp too: the fresh tmpfs has none of the folders above a checkout in /tmp.
    for folder in _ancestors([*roots, INSIDE + "/x"]):
        if folder not in ("/tmp", "/etc") and not _under(folder, ["/usr", "/proc", "/dev"]):
            argv += ["--perms", "0755", "--dir", folder]
    for root in roots:
        argv += ["--ro-bind", root, root]
    for part in ("pkg", "sub", "lab"):
        if (staging.root / part).exists():
            argv += ["--ro-bind", str(staging.root / part), f"{INSIDE}/{part}"]
    for name, path in masked:
        if not _under(path, roots):
            continue
        stub = staging.stubs[name]
        argv += ["--ro-bind", str(stub if os.path.isdir(path) else stub / "__init__.py"), path]
    for secret in secrets:  # grading material that happens to lie inside a bound folder
        if _under(secret, [*roots, "/usr"]):
            argv += (["--tmpfs", secret] if os.path.isdir(secret) else ["--ro-bind", "/dev/null", secret])
    argv += ["--chdir", "/tmp", "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    if info_fd is not None:
        argv += ["--info-fd", str(info_fd)]
    argv += ["--", *worker_argv]
    return WorkerCommand(argv=argv, env=env, cwd="/", submission=where(staging.submission),
                         probes=where(staging.probes), config=config)


def _landlock_rules(roots: list[str], staging: Staging, home: str, masked: list[tuple[str, str]],
                    secrets: list[str]) -> dict:
    """Read: system, interpreter, staged copies; write: home. Forbidden packages and grading
    material inside an allowed folder are cut out: its other entries get rules of their own."""
    holes = [path for _, path in masked] + secrets
    read: list[str] = []
    listed: list[str] = []

    seen: set[str] = set()

    def allow(path: str) -> None:
        if os.path.islink(path):
            # A rule is set on what a link points to (a venv's lib64 -> lib): judge the target, holes included.
            path = os.path.realpath(path)
        if path in seen:
            return
        seen.add(path)
        inner = [h for h in holes if h != path and _under(h, [path])]
        if any(h == path for h in holes):
            return
        if not inner or not os.path.isdir(path):
            read.append(path)
            return
        listed.append(path)
        try:
            entries = os.listdir(path)
        except OSError:
            return
        for entry in entries:
            allow(os.path.join(path, entry))

    for top in (*_existing(t for t in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")),
                *roots, str(staging.root / "pkg"), str(staging.root / "sub"),
                *([str(staging.root / "lab")] if staging.probes else [])):
        allow(top)
    read += ["/proc", "/sys", *_DEVICES_READ]
    return {"read": read, "list": listed, "write": [home, "/dev/null"]}

