"""The hostile battery's machinery: a canary-laden copy of the probe lab, and graded runs.

Every case is graded by the real command, ``autograder.cli.main(["grade", ...])`` (what
``dlgrade grade`` runs), in a fresh process: a fork of a server that imported the harness once
(the interpreter's start-up would otherwise dominate the battery's time), or ``python -m
autograder`` for cases marked ``exec`` (all of them with ``DLGRADE_BATTERY_EXEC=1``). A canary
string sits in the hidden tests, in the reference solution, in a file of the run's results folder
and in the harness' environment (so in its memory). After each run the battery looks for
processes and files carrying the case's marker: there must be none.

Cases run a few at a time (the grading processes mostly wait on timeouts); those that use the
machine-wide budget of the worker user (the fork bomb) run alone.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.results import check_schema
from autograder.sandbox.launch import shared_temp_parent

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture"
LAB = "sandbox_probe"
REFERENCE = (FIXTURE / "reference_solutions" / LAB / "probe.py").read_text()
TEMPLATE = '''"""The probe lab, not done yet."""

import numpy as np


def add(x, y):
    raise NotImplementedError("TODO: implement add")


def scale(x, a):
    raise NotImplementedError("TODO: implement scale")


def norm(x):
    raise NotImplementedError("TODO: implement norm")
'''
# One canary per session, whichever way this module is imported.
CANARY = os.environ.setdefault("DLGRADE_BATTERY_CANARY", "DLGRADE-CANARY-" + secrets.token_hex(12))
SHARED_TMP = ("/tmp", "/var/tmp", "/dev/shm")
PARALLEL = 3
GIT_OBJECT = ".git/objects/5e/c4a1d0e2b7f3c8a9d6e1f0b2c3d4e5f6a7b8c9"
DIST_ZIP = f"dist/{LAB}/autograder.zip"


@dataclass
class Case:
    """One attack: ``source`` (placeholders below) graded, then what must hold."""

    name: str
    source: str
    max_score: float
    bound: float = 45.0  # seconds for the whole `dlgrade grade` run, start-up included
    disable: str = ""  # DLGRADE_SANDBOX_DISABLE for runs of the fallback layers
    alone: bool = False
    network: bool = False
    check: object = None  # extra check(run) -> None
    sandbox: str = "auto"
    exec: bool = False  # a fresh `python -m autograder` (else a fork of a preloaded one: same code); measures memory
    as_user: tuple[int, int] | None = None  # grade as this (uid, gid): the unprivileged path of a laptop


@dataclass
class Run:
    case: Case
    elapsed: float
    returncode: int
    stdout: str
    stderr: str
    results_text: str
    data: dict
    survivors: list[str]
    leftovers: list[str]
    connections: list[str] = field(default_factory=list)
    error: str = ""
    out: Path | None = None
    root: Path | None = None  # the lab copy it was graded against
    max_rss_mb: float = 0.0  # the harness' and its workers' largest resident size (exec runs only)

    @property
    def outputs(self) -> str:
        return "\n".join((self.stdout, self.stderr, self.results_text))

    def test(self, fragment: str) -> dict:
        found = [t for t in self.data.get("tests", []) if fragment in t["name"]]
        assert found, f"no test named like {fragment!r}"
        return found[0]


def _exec_cli(argv: list[str], env: dict, cwd: Path, timeout: float,
              as_user: tuple[int, int] | None = None) -> tuple[int, str, str, str, float]:
    """`python -m autograder ARGV`: exactly what `dlgrade` runs (as ``as_user``, when given), and the
    largest resident size in MB of it and the processes it waited for (its workers)."""
    extra = {"user": as_user[0], "group": as_user[1], "extra_groups": []} if as_user else {}
    proc = subprocess.Popen([sys.executable, "-m", "autograder", *argv], env=env, cwd=str(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, **extra)
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda k=k, s=s: streams.__setitem__(k, s.read()), daemon=True)
               for k, s in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    deadline, error = time.monotonic() + timeout, ""
    while not (done := os.wait4(proc.pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline and not error:
            proc.kill()  # not reaped yet: the pid is still this child's
            error = "grading did not finish"
        time.sleep(0.02)
    _pid, status, usage = done
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)  # a process the grading left behind may hold its pipes: the battery reports it
    text = [streams.get(k, b"").decode("utf-8", "replace") for k in ("out", "err")]
    return (-1 if error else proc.returncode), text[0], text[1], error, usage.ru_maxrss / 1024


_FORKS = None


def _forked_cli(argv: list[str], env: dict, cwd: Path, timeout: float) -> tuple[int, str, str, str, float]:
    global _FORKS
    import multiprocessing

    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import _battery_fork

    if _FORKS is None:
        _FORKS = multiprocessing.get_context("forkserver")
        _FORKS.set_forkserver_preload(["autograder.cli", "autograder.grading.engine", "autograder.results.gradescope",
                                       "autograder.reports.console", "autograder.toolkit", "numpy", "pytest",
                                       "hypothesis"])
    out, err = cwd / "stdout.txt", cwd / "stderr.txt"
    child = _FORKS.Process(target=_battery_fork.cli_child, args=(argv, env, str(cwd), str(out), str(err)))
    child.start()
    child.join(timeout)
    error = ""
    if child.is_alive():
        child.kill()
        child.join()
        error = "grading did not finish"
    text = [p.read_text(errors="replace") if p.exists() else "" for p in (out, err)]
    return (child.exitcode if child.exitcode is not None else -1), text[0], text[1], error, 0.0


class Listener:
    """A loopback TCP and UDP server on one port that records every contact."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.contacts: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True),
                         threading.Thread(target=self._receive, daemon=True)]
        for t in self._threads:
            t.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.tcp.accept()
            except OSError:
                continue
            self.contacts.append(f"tcp from {addr}")
            conn.close()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                data, addr = self.udp.recvfrom(4096)
            except OSError:
                continue
            self.contacts.append(f"udp {data[:40]!r} from {addr}")

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(1)
        self.tcp.close()
        self.udp.close()


def marked_processes(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        state = stat[stat.rfind(b")") + 2:][:1]
        comm = stat[stat.find(b"(") + 1:stat.rfind(b")")].decode("utf-8", "replace")
        if state in (b"Z", b"X"):
            continue
        if marker in comm or marker in cmdline:
            found.append(f"pid {pid} ({comm}) {cmdline[:100]}")
    return found


def marked_files(marker: str) -> list[str]:
    found = []
    for folder in SHARED_TMP:
        try:
            found += [os.path.join(folder, n) for n in os.listdir(folder) if marker in n]
        except OSError:
            pass
    return found


class Battery:
    """A world-readable copy of the probe lab (as a checkout is), with canaries planted."""

    def __init__(self) -> None:
        # Where the unprivileged harness can reach it, whatever the mode of the system's /tmp.
        self.base = Path(tempfile.mkdtemp(prefix="dlgrade-hostile-", dir=shared_temp_parent()))
        os.chmod(self.base, 0o755)
        # Two copies: runs without bubblewrap and Landlock close the grading material of theirs to
        # other users, which the runs that grade as an unprivileged user must still read.
        self.root = self._plant(self.base / "root")
        self.user_root = self._plant(self.base / "root-user")
        # The harness an unprivileged user runs: a copy, readable whatever a grading closed in the checkout.
        self.package = self.base / "package"
        shutil.copytree(HERE.parent.parent / "autograder", self.package / "autograder",
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.work = self.base / "work"
        self.results = self.base / "results"
        for folder in (self.work, self.results):
            folder.mkdir()
        for dirpath, _dirnames, filenames in os.walk(self.base):
            os.chmod(dirpath, 0o755)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o644)
        self.runs: dict[str, Run] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _plant(root: Path) -> Path:
        shutil.copytree(FIXTURE, root)
        hidden = root / "assignments" / LAB / "tests" / "hidden" / "test_hidden.py"
        with hidden.open("a") as fh:
            fh.write(f'\n# canary: {CANARY}\nSECRET = "{CANARY}"\n')
        with (root / "reference_solutions" / LAB / "probe.py").open("a") as fh:
            fh.write(f"\n# canary: {CANARY}\n")
        # The other copies a checkout holds: the repository's objects and a built autograder package.
        obj = root / GIT_OBJECT
        obj.parent.mkdir(parents=True)
        obj.write_bytes(zlib.compress(b"blob 80\0" + hidden.read_bytes()))
        (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        package = root / DIST_ZIP
        package.parent.mkdir(parents=True)
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(hidden, f"source/assignments/{LAB}/tests/hidden/test_hidden.py")
        return root

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    def key(self, case: Case) -> str:
        return f"{case.name}[{case.disable or case.sandbox}{'-as-user' if case.as_user else ''}]"

    def run(self, case: Case) -> Run:
        marker = "dlh" + secrets.token_hex(5)
        case_dir = self.work / self.key(case).replace("[", "-").replace("]", "").replace(",", "-")
        case_dir.mkdir()
        os.chmod(case_dir, 0o755)
        out_dir = self.results / case_dir.name
        out_dir.mkdir()
        os.chmod(out_dir, 0o755)
        out = out_dir / "results.json"
        secret = out_dir / "secret.txt"  # what a results folder may hold: must stay unread
        secret.write_text(CANARY + "\n")
        os.chmod(secret, 0o644)
        listener = Listener() if case.network else None
        root = self.user_root if case.as_user else self.root
        hidden = root / "assignments" / LAB / "tests" / "hidden" / "test_hidden.py"
        reference = root / "reference_solutions" / LAB / "probe.py"
        source = (case.source.replace("MARKER_", marker).replace("OUT_PATH_", str(out))
                  .replace("OUT_DIR_", str(out_dir)).replace("ROOT_PATH_", str(root))
                  .replace("HIDDEN_PATH_", str(hidden)).replace("REF_PATH_", str(reference))
                  .replace("GIT_OBJECT_", str(root / GIT_OBJECT)).replace("DIST_ZIP_", str(root / DIST_ZIP))
                  .replace("PORT_", str(listener.port if listener else 9)))
        submission = case_dir / "probe.py"
        submission.write_text(source)
        os.chmod(submission, 0o644)
        env = {k: v for k, v in os.environ.items() if k != "DLGRADE_SANDBOX_DISABLE"}
        env.update({"DLGRADE_ROOT": str(root), "DLGRADE_HOSTILE_CANARY": CANARY,
                    "PYTHONPATH": str(HERE.parent.parent)})
        if case.disable:
            env["DLGRADE_SANDBOX_DISABLE"] = case.disable
        argv = ["grade", LAB, str(submission), "--out", str(out), "--quiet", "--sandbox", case.sandbox]
        started = time.monotonic()
        if case.as_user:
            for folder in (case_dir, out_dir):
                os.chown(folder, *case.as_user)
            env = {"PATH": "/usr/bin:/bin", "HOME": str(case_dir), "PYTHONPATH": str(self.package),
                   **{k: env[k] for k in ("DLGRADE_ROOT", "DLGRADE_HOSTILE_CANARY", "DLGRADE_SANDBOX_DISABLE")
                      if k in env}}
            rc, stdout, stderr, error, rss = _exec_cli(argv, env, case_dir, case.bound + 60, case.as_user)
        elif case.exec or os.environ.get("DLGRADE_BATTERY_EXEC"):
            rc, stdout, stderr, error, rss = _exec_cli(argv, env, case_dir, case.bound + 60)
        else:
            rc, stdout, stderr, error, rss = _forked_cli(argv, env, case_dir, case.bound + 60)
        elapsed = time.monotonic() - started
        deadline = time.monotonic() + 3
        survivors = marked_processes(marker)
        while survivors and time.monotonic() < deadline:
            time.sleep(0.1)
            survivors = marked_processes(marker)
        leftovers = marked_files(marker)
        connections = []
        if listener is not None:
            time.sleep(0.2)
            listener.close()
            connections = listener.contacts
        results_text = out.read_text() if out.exists() else ""
        try:
            data = json.loads(results_text)
            check_schema(data)
        except Exception as exc:  # noqa: BLE001
            data, error = {}, error or f"results.json invalid: {exc}"
        return Run(case, elapsed, rc, stdout, stderr, results_text, data, survivors, leftovers, connections, error,
                   out, root, rss)

    def run_all(self, cases: list[Case]) -> None:
        todo = [c for c in cases if self.key(c) not in self.runs]
        # Longest first, so the pool does not end waiting on one slow case.
        together = sorted((c for c in todo if not c.alone), key=lambda c: -c.bound)
        with ThreadPoolExecutor(PARALLEL) as pool:
            for case, run in zip(together, pool.map(self.run, together)):
                self.runs[self.key(case)] = run
        for case in todo:
            if case.alone:
                self.runs[self.key(case)] = self.run(case)
        if os.environ.get("DLGRADE_BATTERY_TIMES"):
            times = {key: round(run.elapsed, 2) for key, run in self.runs.items()}
            Path(os.environ["DLGRADE_BATTERY_TIMES"]).write_text(json.dumps(times, indent=1))


def unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) of 'nobody', the battery's unprivileged harness: a user that is none of the worker users."""
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return (entry.pw_uid, entry.pw_gid) if entry.pw_uid and entry.pw_gid else None


def assert_contained(run: Run) -> None:
    """What must hold after every hostile case."""
    case = run.case
    assert not run.error, f"{case.name}: {run.error}\nstdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}"
    assert run.returncode == 0, f"{case.name}: exit {run.returncode}\n{run.stderr[-2000:]}"
    assert "SyntaxError" not in run.results_text, f"{case.name}: the attack itself does not compile"
    assert run.elapsed < case.bound, f"{case.name}: grading took {run.elapsed:.1f} s (bound {case.bound:g} s)"
    assert run.data["score"] <= case.max_score, (
        f"{case.name}: score {run.data['score']} > {case.max_score}: "
        + json.dumps([(t["name"], t["status"]) for t in run.data["tests"]]))
    assert not run.survivors, f"{case.name}: processes survived grading: {run.survivors}"
    assert not run.leftovers, f"{case.name}: files left in shared temporary folders: {run.leftovers}"
    assert CANARY not in run.outputs, f"{case.name}: the canary leaked"
    assert CANARY[len("DLGRADE-CANARY-"):] not in run.outputs, f"{case.name}: the canary leaked"
    assert not run.connections, f"{case.name}: the submission reached the network: {run.connections}"
    if case.check:
        case.check(run)


def sandbox_of(run: Run) -> dict:
    return run.data.get("extra_data", {}).get("sandbox", {})
