"""The same batch on a Dask distributed cluster (``--scheduler ADDRESS``).

Each task carries one submission's bytes (a folder travels as a zip) and returns its results as
a plain dict; this process writes every results.json, so the output folder need not be shared.
Workers need dlgrade and the lab (installed, or found through DLGRADE_ROOT), as any grading
server does. Grading runs pytest inside the worker process, which is not thread-safe: tasks of
one Dask worker take turns (start workers with ``--nthreads 1`` and as many processes as cores).
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

from autograder.batch.jobs import Submission, breakdown_results, store
from autograder.batch.local import Done
from autograder.files import read_untrusted, walk_untrusted
from autograder.grading.pipeline import GradingOptions, grade_results
from autograder.labs import Lab

MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
MAX_PAYLOAD_ENTRIES = 10_000
_GRADING = threading.Lock()


def pack(path: Path) -> tuple[str, bytes]:
    """The submission as (file name, bytes); a folder becomes a zip of its files.

    Read as data, never followed: a link (to another student's work, say) travels as a link entry
    and a FIFO or device as an empty entry of its type, which grading refuses as it refuses them in
    a folder; a link in place of the whole submission is not sent (``RefusedFile``)."""
    path = Path(path)
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        return path.name, read_untrusted(path, MAX_PAYLOAD_BYTES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in walk_untrusted(path, MAX_PAYLOAD_ENTRIES):
            info = zipfile.ZipInfo(entry.path.as_posix())
            info.create_system, info.external_attr = 3, entry.mode << 16  # 3: Unix, whose modes say the type
            if stat.S_ISLNK(entry.mode):
                data = os.readlink(path / entry.path).encode(errors="surrogateescape")
            elif stat.S_ISREG(entry.mode):
                data = read_untrusted(path / entry.path, MAX_PAYLOAD_BYTES)
            else:
                data = b""
            zf.writestr(info, data, zipfile.ZIP_DEFLATED)
            if buffer.tell() > MAX_PAYLOAD_BYTES:
                raise ValueError(f"{path.name} is larger than {MAX_PAYLOAD_BYTES // 2**20} MB once zipped")
    return f"{path.name}.zip", buffer.getvalue()


def grade_payload(lab_name: str, name: str, payload: bytes, hidden: bool, sandbox: str) -> dict[str, Any]:
    """Runs on a Dask worker: grade one submission sent as bytes, return its results."""
    from autograder.labs import find_lab

    lab = find_lab(lab_name)
    with _GRADING, tempfile.TemporaryDirectory(prefix="dlgrade-task-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(payload)
        _report, data = grade_results(lab, path, GradingOptions(hidden=hidden, sandbox=sandbox))
    return data


def run_dask(lab: Lab, todo: list[Submission], out: Path, *, scheduler: Any, hidden: bool, sandbox: str,
             done: Done) -> None:
    """Grade ``todo`` on the cluster at ``scheduler`` (an address, or a ``distributed.Client``)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("--scheduler needs Dask: pip install 'dask[distributed]'") from None

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    futures: dict[Any, Submission] = {}
    try:
        for job in todo:
            try:
                name, payload = pack(job.path)
            except (OSError, ValueError) as exc:
                data = breakdown_results(f"the submission could not be sent: {exc}")
                store(out, job, data)
                done(job, data)
                continue
            future = client.submit(grade_payload, lab.name, name, payload, hidden, sandbox, pure=False,
                                   key=f"dlgrade-{lab.name}-{job.student}-{id(job)}")
            futures[future] = job
        for future in as_completed(futures):
            job = futures.pop(future)
            try:
                data = future.result()
            except Exception as exc:  # a worker lost (KilledWorker), or the task itself failed
                data = breakdown_results(f"the cluster could not grade it ({type(exc).__name__}: {exc})")
            store(out, job, data)
            done(job, data)
    finally:
        if futures:  # interrupted: nothing more for the cluster to start
            client.cancel(list(futures))
        if client is not scheduler:
            client.close()
