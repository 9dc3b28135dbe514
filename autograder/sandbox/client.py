"""The harness' end of one worker: start it, send requests under a deadline, collect its output.

The worker starts inside the layers of its ``Plan`` (``isolation.py``) and first reports, before it
reads any request, which ones it applied; a worker that cannot confine itself is a
``SandboxUnavailable``, never a grade. A worker that times out or dies is killed with every
process it started (``teardown.py``) and replaced on the next request; a submission that failed to
import is not retried (the same error is raised at once).

Nothing the worker sends is trusted: a reply is read only up to ``Limits.reply_mb``, must have the
shape of a reply, and every piece of text in it is stripped of control characters and cut to a
fixed length before the harness keeps it; anything else fails the test as the submission's fault
(a "contract" error), never the grader's.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autograder.failures import (
    ImportFailure,
    SandboxUnavailable,
    StudentError,
    SubmissionFailure,
    WorkerDied,
    WorkerTimeout,
)
from autograder.sandbox import isolation, memory, teardown, uids
from autograder.sandbox.launch import Staging, worker_command
from autograder.sandbox.limits import Limits
from autograder.sandbox.permissions import protect_by_permissions
from autograder.worker.wire import FrameReader, FrameTooLarge, WireError, clip_text, packb

# Workers of this process that are alive: another worker's teardown must leave them alone.
LIVE_WORKERS: set[int] = set()

# What the harness keeps of an error the worker describes (the worker cuts its messages to the same length).
ERROR_KINDS = ("student", "missing", "forbidden", "exit", "contract")
TYPE_CHARS, MESSAGE_CHARS, FRAME_TEXT_CHARS, FRAMES = 100, 2000, 200, 5


@dataclass(frozen=True)
class WorkerSpec:
    submission: Path
    module: str
    forbidden: tuple[str, ...] = ()
    probes: Path | None = None
    limits: Limits = Limits()
    sandbox: str = "auto"  # "auto", "strict" or "none" (isolation.MODES)
    protect: tuple[Path, ...] = ()  # grading material the worker must not see (hidden tests, ...)


class _Output:
    """Bounded capture of what the submission prints: the rest is counted, not kept."""

    def __init__(self, cap: int) -> None:
        self.cap, self.kept, self.dropped = cap, bytearray(), 0

    def add(self, data: bytes) -> None:
        room = self.cap - len(self.kept)
        self.kept += data[: max(room, 0)]
        self.dropped += max(len(data) - max(room, 0), 0)

    def take(self) -> str:
        text = clip_text(self.kept.decode("utf-8", "replace"), self.cap)
        if self.dropped:
            text += f"\n... [{self.dropped} more bytes of output not shown]"
        self.kept, self.dropped = bytearray(), 0
        return text


class WorkerClient:
    """The submission in a confined worker process (a ``SubmissionRunner``)."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.proc: subprocess.Popen | None = None
        self.import_error: ImportFailure | None = None
        self.deadline: float | None = None
        self.limit: float = spec.limits.test_timeout  # the current test's, as begin_test set it
        self.pending_seed: int | None = None
        self.output = _Output(spec.limits.output_bytes)
        self.starts = 0
        self.poisoned: Exception | None = None
        self.plan = isolation.plan(spec.sandbox)  # strict without strong isolation raises here
        self.protected = protect_by_permissions(spec.protect, self.plan)
        self.sandbox_error: SandboxUnavailable | None = None  # grading must stop, not score
        self.applied: dict = {}
        self._staging: Staging | None = None
        self._lease: uids.Lease | None = None
        self._worker_plan = self.plan
        self._info: int | None = None
        self._info_data = b""
        self._children_before: set[int] = set()
        self._tmp_before: dict | None = None
        self._memory: memory.MemoryGuard | None = None
        self.memory_peak_mb = 0.0  # the most any of its workers held (resident, whole tree)
        self._starting: threading.Thread | None = None  # prestart's, until a request or stop has waited for it
        self._start_failure: BaseException | None = None
        self._load_request: dict = {}  # what the worker _spawn started is to import

    def sandbox_report(self) -> dict:
        """What results.json says about the isolation (``extra_data["sandbox"]``)."""
        out = self.plan.describe()
        if self.protected:
            out["protected_by_permissions"] = list(self.protected)
        out["memory"] = memory.describe(self.spec.limits)
        return out

    def begin_test(self, *, seed: int, limit: float) -> None:
        """A new test: its own time limit and random seed, and a clean slate after a timeout."""
        self.limit, self.deadline = limit, time.monotonic() + limit
        self.pending_seed, self.poisoned = seed, None

    def poison(self, failure: Exception) -> None:
        """Fail every further request of this test at once (no respawn loops while shrinking)."""
        self.poisoned = failure

    # -- lifecycle ------------------------------------------------------------------------------
    def prestart(self) -> None:
        """Start the worker now and let it import the submission in the background, while the harness
        collects its tests: the first request waits for it, and meets its failures (an import error,
        no sandbox) exactly as if it had started the worker itself. The process is started from this
        thread: the worker dies with the thread that started it (``PR_SET_PDEATHSIG``)."""
        if self.proc is not None or self._starting is not None or self.import_error is not None:
            return
        try:
            self._spawn()
        except Exception as exc:  # noqa: BLE001 - raised again by the first request
            self._start_failure = exc
            return
        self._starting = threading.Thread(target=self._load_in_background, name="dlgrade-prestart", daemon=True)
        self._starting.start()

    def _load_in_background(self) -> None:
        try:
            self._load()
        except Exception as exc:  # noqa: BLE001 - raised again by the first request, in the harness's thread
            self._start_failure = exc

    def _join_start(self) -> None:
        """Wait for prestart's import (never from its own thread: ``_load`` stops a worker that failed to import)."""
        thread = self._starting
        if thread is not None and thread is not threading.current_thread():
            thread.join()
            self._starting = None

    def _start(self) -> None:
        self._spawn()
        self._load()

    def _spawn(self) -> None:
        """The worker's process, inside its sandbox and memory group: nothing of the submission's runs yet."""
        if self.import_error is not None:
            raise self.import_error
        if self._lease is None and self.plan.users:
            try:
                self._lease = uids.lease(self.plan.users)
            except SandboxUnavailable as exc:
                self.sandbox_error = exc
                raise
        # This worker's own uid: its staged files and its processes are no other worker's.
        plan = self._worker_plan = replace(self.plan, user=self._lease.user) if self._lease else self.plan
        if self._staging is None:
            self._staging = Staging(self.spec.submission, self.spec.probes, self.spec.forbidden, plan)
        self._staging.new_home()
        try:
            self._memory = memory.MemoryGuard(self.spec.limits)
        except SandboxUnavailable as exc:
            self.sandbox_error = exc
            raise
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        fds = [req_r, resp_w]
        info_w = None
        if plan.bwrap:
            self._info, info_w = os.pipe()
            self._info_data = b""
            os.set_blocking(self._info, False)
            fds.append(info_w)
        cmd = worker_command(plan, self._staging, self.spec.limits, req_r, resp_w, info_w,
                             forbidden=self.spec.forbidden, protect=self.spec.protect)
        if not plan.pid_namespace:
            teardown.become_subreaper()
            self._children_before = teardown.children_of(os.getpid())  # never the worker's orphans
            if plan.user and not plan.landlock:
                self._tmp_before = teardown.snapshot_shared_tmp()
        try:
            self.proc = subprocess.Popen(
                self._memory.wrap(cmd.argv), env=cmd.env, cwd=cmd.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, pass_fds=tuple(fds), start_new_session=True,
            )
        except BaseException:
            for fd in (req_w, resp_r, self._info):
                if fd is not None:
                    _close(fd)
            self._info = None
            raise
        finally:
            for fd in fds:
                os.close(fd)
        LIVE_WORKERS.add(self.proc.pid)
        self._req = req_w
        self._resp = resp_r
        self.starts += 1
        self._load_request = {"op": "load", "path": cmd.submission, "module": self.spec.module,
                              "forbidden": list(self.spec.forbidden), "probes": cmd.probes}

    def _load(self) -> None:
        """The worker's report of its sandbox, then the submission's import."""
        self._handshake()
        self._memory.watch(self.proc.pid)
        try:
            deadline = time.monotonic() + self.spec.limits.import_timeout
            self._roundtrip(self._load_request, deadline, None, importing=True)
        except StudentError as exc:
            self.import_error = ImportFailure(None, {"kind": exc.kind, "type": exc.type,
                                                     "message": exc.message, "frames": exc.frames})
        except (WorkerDied, WorkerTimeout) as exc:
            # Importing again would die the same way: remember it, like any other import error.
            self.import_error = ImportFailure(None, {"kind": "died", "type": type(exc).__name__,
                                                     "message": exc.summary()})
        if self.import_error is not None:
            self.stop()
            raise self.import_error

    def _handshake(self) -> None:
        """The worker's first frame says which layers it applied; it comes before any student code."""
        deadline = time.monotonic() + max(self.spec.limits.import_timeout, 30.0)
        try:
            ready = self._roundtrip(None, deadline, None, importing=True)
            if not isinstance(ready, dict) or ready.get("ready") is not True:
                raise SandboxUnavailable("the worker did not report its sandbox")
            self.applied = json.loads(ready.get("applied") or "{}")
        except (SubmissionFailure, SandboxUnavailable, ValueError) as exc:
            said = self.output.take().strip().splitlines()
            self.stop()
            detail = next((line for line in reversed(said) if "dlgrade-sandbox:" in line), said[-1] if said else "")
            self.sandbox_error = SandboxUnavailable(
                f"the worker could not start in its sandbox ({self.plan.summary()}): {detail or exc}")
            raise self.sandbox_error from None
        self.output.take()  # the interpreter's start-up noise is not the submission's output

    def stop(self) -> None:
        """Kill the worker and every process it started; remove what it left behind."""
        with _uninterrupted():
            self._stop()

    def _stop(self) -> None:
        self._join_start()
        self._start_failure = None
        proc, self.proc = self.proc, None
        if proc is not None:
            inner = self._inner_pid()
            # Once the worker is reaped its pid, its group id and (bubblewrap having reaped it first) the
            # namespace init's pid may be another process's already: those are never signalled then.
            reaped = proc.returncode is not None
            if inner is not None and not reaped:
                try:
                    os.kill(inner, signal.SIGKILL)  # the namespace's init: the kernel kills the rest
                    proc.wait(timeout=1.0)  # bubblewrap reaps it and exits
                except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
                    pass
            if proc.returncode is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if not self.plan.pid_namespace:
                teardown.kill_tree(None if reaped else proc.pid,
                                   worker_uid=self._worker_plan.user[1] if self._worker_plan.user else None,
                                   exclude=(LIVE_WORKERS | self._children_before) - {proc.pid})
            proc.wait()
            LIVE_WORKERS.discard(proc.pid)
            if inner is not None:
                teardown.wait_gone(inner)
            for fd in (self._req, self._resp):
                _close(fd)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        if self._memory is not None:
            self.memory_peak_mb = max(self.memory_peak_mb, self._memory.close())
            self._memory = None
        if self._info is not None:
            _close(self._info)
            self._info = None
        if self._tmp_before is not None and self._worker_plan.user:
            teardown.clean_shared_tmp(self._worker_plan.user[1], self._tmp_before)
            self._tmp_before = None
        if self._staging is not None:
            self._staging.remove()
            self._staging = None
        if self._lease is not None:  # nothing of the worker is left: its uid may serve another
            self._lease.release()
            self._lease = None

    def _inner_pid(self) -> int | None:
        """The pid (in our namespace) of the init of the worker's pid namespace, from bubblewrap."""
        if self._info is None:
            return None
        try:
            while chunk := os.read(self._info, 4096):
                self._info_data += chunk
        except (BlockingIOError, OSError):
            pass
        found = re.search(rb'"child-pid"\s*:\s*(\d+)', self._info_data)
        return int(found.group(1)) if found else None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- requests -------------------------------------------------------------------------------
    def request(self, req: dict, function: str | None) -> Any:
        if self.poisoned is not None:
            raise self.poisoned
        try:
            return self._request(req, function)
        except (WorkerTimeout, WorkerDied) as failure:
            self.poisoned = failure
            raise
        except StudentError as failure:
            # Not written yet, or not there: no other input will change that, so hypothesis need
            # not wait on the worker while it shrinks.
            if failure.same_for_any_input:
                self.poisoned = failure
            raise

    def _request(self, req: dict, function: str | None) -> Any:
        self._join_start()
        if self._start_failure is not None:
            failure, self._start_failure = self._start_failure, None
            raise failure
        if self.sandbox_error is not None:
            raise self.sandbox_error
        if self.proc is None:
            self._start()
        if self.pending_seed is not None:
            req = req | {"reseed": self.pending_seed}
            self.pending_seed = None
        deadline = self.deadline if self.deadline is not None else time.monotonic() + 3600
        return self._roundtrip(req, deadline, function)

    def _roundtrip(self, req: dict | None, deadline: float, function: str | None, importing: bool = False) -> Any:
        """Send ``req`` (None: send nothing) and wait for one reply frame until ``deadline``."""
        assert self.proc is not None
        if req is None:
            frame = b""
        else:
            payload = packb(req)
            frame = len(payload).to_bytes(4, "big") + payload
        reader = FrameReader(max_frame=int(self.spec.limits.reply_mb * 2**20))
        sel = selectors.DefaultSelector()
        try:
            os.set_blocking(self._req, False)
            streams = {self._resp: "resp", self.proc.stdout.fileno(): "out", self.proc.stderr.fileno(): "out"}
            for fd in streams:
                os.set_blocking(fd, False)
                sel.register(fd, selectors.EVENT_READ, streams[fd])
            if frame:
                sel.register(self._req, selectors.EVENT_WRITE, "req")
            sent = 0
            look = self._memory.interval if self._memory is not None else None
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    limit = self.spec.limits.import_timeout if importing else self.limit
                    self.stop()
                    raise WorkerTimeout(function, limit, during_import=importing)
                if look is not None and (used := self._memory.look()) is not None:
                    self.stop()
                    raise WorkerDied(function, memory.over_limit(used, self.spec.limits))
                for key, _ in sel.select(timeout=min(remaining, look or 1.0)):
                    if key.data == "req":
                        try:
                            sent += os.write(self._req, frame[sent:])
                        except BrokenPipeError:
                            sel.unregister(self._req)
                            continue
                        if sent == len(frame):
                            sel.unregister(self._req)
                        continue
                    data = _read(key.fd)
                    if data is None:
                        continue
                    if key.data == "out":
                        if data:
                            self.output.add(data)
                        else:
                            sel.unregister(key.fd)
                        continue
                    if not data:
                        raise self._died(function)
                    try:
                        reader.feed(data)
                        done, reply = reader.take()
                    except FrameTooLarge as exc:
                        self.stop()
                        raise _contract(function, f"the reply was larger than {self.spec.limits.reply_mb:g} MB "
                                                  f"({exc.size / 2**20:.1f} MB)") from None
                    except WireError as exc:
                        self.stop()
                        raise _contract(function, clip_text(str(exc), MESSAGE_CHARS)) from None
                    if done:
                        self._drain_output()
                        return self._value(reply, function)
        finally:
            sel.close()

    def _value(self, reply: Any, function: str | None) -> Any:
        """The value of a reply; the error it carries, checked and bounded, as a ``StudentError``."""
        if type(reply) is dict and reply.get("ok") is True and set(reply) <= {"ok", "value"}:
            return reply.get("value")
        error = _checked_error(reply.get("error")) if type(reply) is dict and reply.get("ok") is False else None
        if error is None:
            self.stop()  # a worker that breaks the protocol is not asked anything more
            raise _contract(function, "the worker sent a malformed reply (was the grader's worker tampered with?)")
        raise StudentError(function, error)

    def _drain_output(self) -> None:
        """Output written before the reply is already in the pipes: collect it for this test."""
        assert self.proc is not None
        for stream in (self.proc.stdout, self.proc.stderr):
            while data := _read(stream.fileno()):
                self.output.add(data)

    def _died(self, function: str | None) -> WorkerDied:
        assert self.proc is not None
        self._drain_output()
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        used = self._memory.killed_for_memory() if self._memory is not None else None
        self.stop()
        if used is not None:
            return WorkerDied(function, memory.over_limit(used, self.spec.limits))
        if code is not None and code > 128 and self.plan.bwrap and code - 128 in signal.Signals._value2member_map_:
            code = -(code - 128)  # bubblewrap passes a signal death on as 128 + signal
        if code is None:
            what = "closed its channel and hung"
        elif code < 0:
            sig = signal.Signals(-code)
            what = {signal.SIGXCPU: "ran out of CPU time", signal.SIGKILL: "was killed (memory?)",
                    signal.SIGXFSZ: "wrote a file larger than the limit",
                    signal.SIGSEGV: "crashed (segmentation fault)"}.get(sig, f"was killed by {sig.name}")
        else:
            what = f"exited with status {code} (did the submission call os._exit or exit()?)"
        return WorkerDied(function, what)

    def take_output(self) -> str:
        if self.alive:
            self._drain_output()
        return self.output.take()


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the worker is gone and its files are removed: their handlers raise."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers run in the main thread only
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _contract(function: str | None, message: str) -> StudentError:
    return StudentError(function, {"kind": "contract", "type": "ProtocolError", "message": message})


def _checked_error(error: Any) -> dict | None:
    """The worker's description of an error with every field of its type and bounded; None when malformed."""
    if type(error) is not dict:
        return None
    kind, name = error.get("kind", "student"), error.get("type", "Exception")
    message, frames = error.get("message", ""), error.get("frames", [])
    if kind not in ERROR_KINDS or type(name) is not str or type(message) is not str or type(frames) is not list:
        return None
    checked = []
    for frame in frames[-FRAMES:]:
        if type(frame) not in (list, tuple) or len(frame) != 4:
            return None
        file, line, func, text = frame
        if type(line) is not int or not all(type(part) is str for part in (file, func, text)):
            return None
        checked.append([clip_text(file, FRAME_TEXT_CHARS), line, clip_text(func, FRAME_TEXT_CHARS),
                        clip_text(text, FRAME_TEXT_CHARS)])
    return {"kind": kind, "type": clip_text(name, TYPE_CHARS), "message": clip_text(message, MESSAGE_CHARS),
            "frames": checked}


def _read(fd: int) -> bytes | None:
    """Bytes read, b"" at end of stream, None when nothing is there yet."""
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
