"""Trust nothing the submission touched: what the harness accepts from a worker is bounded, hidden
tests stay unrecognisable and keep their inputs, a stopped harness cleans up.

The attacks patch the worker from inside the submission (its ``describe`` and ``write_frame``): the
worker is the submission's process, so whatever it says is the submission's to forge.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import msgpack
import pytest

from autograder.failures import WorkerDied
from autograder.grading.outcomes import GradeReport
from autograder.grading.outcomes import TestOutcome as Outcome
from autograder.grading.pipeline import SEED_SECRET, seed_of
from autograder.grading.results import TEST_CHARS, TOTAL_CHARS, to_results
from autograder.labs import Lab
from autograder.release.build import autograder_package
from autograder.sandbox.client import WorkerClient, WorkerSpec
from autograder.worker.wire import EXPANSION, MAX_CONTAINERS, WireError, packb, unpackb
from tests.hostile.battery import FIXTURE, LAB, REFERENCE, Case, Run, assert_contained, marked_processes
from tests.hostile.test_hostile import on_reference

HARNESS_RSS_MB = 400  # a grading of the probe lab takes about 100 MB; an unbounded one took GBs
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

PATCH_DESCRIBE = '''
import sys

_worker = sys.modules["autograder.worker.main"]
_describe = _worker.describe

Loud = type("E" * 3_000_000, (Exception,), {})  # a 3 MB class name


def _forged(exc, submission):
    out = _describe(exc, submission)
    size = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
    out["message"] = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m" + "M" * size
    out["frames"] = [["F" * 200_000, 7, "f" * 200_000, "\\x1b[31m" * 40_000]] * 3
    return out


_worker.describe = _forged
_honest_add, _honest_scale = add, scale


def add(x, y):
    print("\\x1b[2J\\x1b]0;owned\\x07 printed by add")
    raise Loud(2_000_000)  # under the reply limit: every field is clipped


def scale(x, a):
    raise Loud(10_000_000)  # a 10 MB message: over the reply limit
'''

HUGE_REPLY = '''
_honest_scale = scale


def scale(x, a):
    return np.ones(3_000_000)  # 24 MB
'''

MALFORMED = '''
import sys

_worker = sys.modules["autograder.worker.main"]
_write = _worker.write_frame


def _forged_describe(exc, submission):
    if isinstance(exc, KeyError):
        return "not a dict"
    return {"kind": "student", "type": 5, "message": ["not", "text"], "frames": "nowhere"}


def _forged_write(stream, value):
    if value.get("ok") is True and type(value.get("value")) is list:  # every call's reply
        value = {"ok": "yes", "value": value["value"], "extra": 1}
    _write(stream, value)


_worker.describe = _forged_describe
_worker.write_frame = _forged_write


def add(x, y):
    raise KeyError("x")


def scale(x, a):
    raise IndexError("x")
'''

HIDDEN_LEAKS = '''
_honest_add, _honest_norm = add, norm


def add(x, y):
    print("ADD-PRINTED", np.asarray(x).shape)
    return _honest_add(x, y)


def norm(x):
    print("NORM-PRINTED", list(x))
    raise ValueError(f"LEAKED-INPUT {list(x)}")
'''


def _text_fields(run: Run) -> list[str]:
    return [run.data["output"], *(t["output"] for t in run.data["tests"]), *(t["name"] for t in run.data["tests"])]


def bounded_and_clean(run: Run) -> None:
    """results.json stays small and free of control characters, the harness' memory sane, whatever
    the worker sends: exception and class names, messages, frames and output are cut harness-side."""
    assert len(run.results_text) < 1_000_000, len(run.results_text)
    assert 0 < run.max_rss_mb < HARNESS_RSS_MB, run.max_rss_mb
    for text in _text_fields(run):
        assert not CONTROL.search(text), repr(CONTROL.search(text))
    add = run.test("add two arrays")
    assert add["status"] == "failed" and "more characters not shown" in add["output"], add["output"][-300:]
    assert "printed by add" in add["output"] and len(add["output"]) < 25_000, len(add["output"])
    scale = run.test("scale an array")
    assert scale["status"] == "failed" and "the reply was larger than 8 MB" in scale["output"], scale["output"]
    assert "error" in scale["tags"] and "internal" not in scale["tags"], scale["tags"]


def reply_too_large(run: Run) -> None:
    """A reply beyond ``reply_mb`` fails its test as the submission's fault; the others go on."""
    assert 0 < run.max_rss_mb < HARNESS_RSS_MB, run.max_rss_mb
    scale = run.test("scale an array")
    assert scale["status"] == "failed" and "the reply was larger than 8 MB" in scale["output"], scale["output"]
    assert "error" in scale["tags"], scale["tags"]
    assert run.test("add two arrays")["status"] == "passed" and run.test("norm of a vector")["status"] == "passed"


def malformed_is_the_submissions_fault(run: Run) -> None:
    """A reply of the wrong shape (an error that is not a dict, fields of the wrong types, an "ok"
    that is not a bool) fails the test as the submission's doing, never as the grader's."""
    for test in run.data["tests"]:
        assert test["status"] == "failed", test
        assert "internal" not in test["tags"] and "error" in test["tags"], test
        assert "not your code's fault" not in test["output"], test["output"]
    for name in ("add two arrays", "scale an array"):
        assert "malformed reply" in run.test(name)["output"], run.test(name)["output"]


def hidden_tests_keep_their_inputs(run: Run) -> None:
    """Neither what a hidden test's run printed nor the message of what it raised reaches results.json."""
    assert "NORM-PRINTED" not in run.results_text and "LEAKED-INPUT" not in run.results_text
    assert "ADD-PRINTED" in run.test("add two arrays")["output"]  # a public test's print is shown
    hidden = [t for t in run.data["tests"] if "hidden" in t["tags"]]
    assert hidden and all("printed" not in t["output"] for t in hidden), hidden
    norm = run.test("norm of a vector")
    assert norm["status"] == "failed" and "raised ValueError" in norm["output"], norm["output"]


CASES = [
    Case("huge_exception_names_and_messages", on_reference(PATCH_DESCRIBE), max_score=10 - 2 - 2 - 3,
         exec=True, check=bounded_and_clean),
    Case("reply_beyond_the_frame_limit", on_reference(HUGE_REPLY), max_score=10 - 2, exec=True,
         check=reply_too_large),
    Case("malformed_replies", on_reference(MALFORMED), max_score=0,
         check=malformed_is_the_submissions_fault),
    Case("hidden_prints_and_messages", on_reference(HIDDEN_LEAKS), max_score=10 - 3,
         check=hidden_tests_keep_their_inputs),
]


@pytest.fixture(scope="module")
def graded_bounds(battery):
    battery.run_all(CASES)
    return battery


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bounded_replies(graded_bounds, case):
    """Each case's docstring-named invariant (its check), and the battery's containment."""
    assert_contained(graded_bounds.runs[graded_bounds.key(case)])


# -- seeds -----------------------------------------------------------------------------------------
def _probe_lab(root: Path) -> Lab:
    return Lab.load(root / "assignments" / LAB, root)


def test_seeds_come_from_the_release_secret(tmp_path):
    """With a release's secret the seeds are not the node ids' checksums (a submission cannot tell
    which test calls it), the same in every grading of that release, and another release's differ;
    without one they are the checksums."""
    nodeid = "tests/hidden/test_hidden.py::test_norm"
    assert seed_of(_probe_lab(FIXTURE))(nodeid) == zlib.crc32(nodeid.encode())
    seeds = []
    for name, secret in (("a", "one secret"), ("b", "one secret"), ("c", "another secret")):
        root = tmp_path / name
        (root / "assignments").mkdir(parents=True)
        lab_dir = root / "assignments" / LAB
        (lab_dir / "tests" / "hidden").mkdir(parents=True)
        (lab_dir / "lab.toml").write_text((FIXTURE / "assignments" / LAB / "lab.toml").read_text())
        (lab_dir / "tests" / "hidden" / SEED_SECRET).write_text(secret)
        seeds.append(seed_of(_probe_lab(root))(nodeid))
    assert seeds[0] == seeds[1] != zlib.crc32(nodeid.encode())
    assert seeds[2] != seeds[0]


SEED_PRINTER = REFERENCE + '''

_honest = dict(add=add, scale=scale, norm=norm)


def _seed():
    return int(np.random.get_state()[1][0])  # MT19937 seeded with s starts its key with s


def add(x, y):
    print("SEED", _seed())
    if np.random.rand() < 0.5:  # fails or passes by the seed alone
        return np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape)
    return _honest["add"](x, y)


def scale(x, a):
    print("SEED", _seed())
    return _honest["scale"](x, a)


def norm(x):
    print("SEED", _seed())
    return _honest["norm"](x)
'''


def test_a_release_grades_deterministically_with_secret_seeds(tmp_path):
    """Two gradings of one released autograder give the same results; the seeds a submission sees
    are the release's (not the checksums), and no hidden test's seed or print reaches results.json."""
    package = autograder_package(_probe_lab(FIXTURE), tmp_path / "dist")
    source = tmp_path / "source"
    zipfile.ZipFile(package).extractall(source)
    assert (source / "assignments" / LAB / "tests" / "hidden" / SEED_SECRET).stat().st_size > 0
    submission = tmp_path / "probe.py"
    submission.write_text(SEED_PRINTER)
    env = os.environ | {"DLGRADE_ROOT": str(source), "PYTHONPATH": str(source)}
    results = []
    for n in range(2):
        out = tmp_path / f"results{n}.json"
        subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(submission), "--out", str(out),
                        "--quiet"], env=env, cwd=source, check=True, capture_output=True, timeout=120)
        results.append(json.loads(out.read_text()))
    first, second = ([(t["name"], t["status"], t["output"]) for t in r["tests"]] for r in results)
    assert first == second and results[0]["score"] == results[1]["score"]
    seeds = seed_of(_probe_lab(source))
    public = {"tests/public/test_public.py::test_add": "add two arrays",
              "tests/public/test_public.py::test_scale": "scale an array"}
    for nodeid, title in public.items():
        output = next(t["output"] for t in results[0]["tests"] if title in t["name"])
        assert f"SEED {seeds(nodeid)}" in output and f"SEED {zlib.crc32(nodeid.encode())}" not in output, output
    text = json.dumps(results[0])
    for nodeid in ("tests/hidden/test_hidden.py::test_add_broadcast", "tests/hidden/test_hidden.py::test_norm"):
        assert str(seeds(nodeid)) not in text


# -- a harness stopped with SIGTERM ----------------------------------------------------------------
def test_sigterm_stops_grading_and_leaves_nothing_behind(request):
    """SIGTERM stops `dlgrade grade` at once (status 143): no worker survives, no staged source or
    work folder stays in the temporary folder, and no partial results.json is written."""
    if not sys.platform.startswith("linux"):
        pytest.skip("needs /proc")
    base = Path(tempfile.mkdtemp(prefix="bounds-term-"))  # under /tmp: the worker's user may traverse it
    request.addfinalizer(lambda: shutil.rmtree(base, ignore_errors=True))
    os.chmod(base, 0o755)
    tmp = base / "tmp"
    tmp.mkdir()
    os.chmod(tmp, 0o1777)
    marker = "dlterm" + os.urandom(4).hex()
    submission = base / "probe.py"
    submission.write_text(on_reference("_honest_add = add\n\n\ndef add(x, y):\n    _mark()\n    while True:\n"
                                       "        pass\n").replace("MARKER_", marker))
    os.chmod(submission, 0o644)
    out = base / "results.json"
    env = os.environ | {"TMPDIR": str(tmp), "DLGRADE_ROOT": str(FIXTURE),
                        "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", LAB, str(submission), "--out", str(out),
                             "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marked_processes(marker) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked_processes(marker), "the looping submission never started"
    assert [p.name for p in tmp.iterdir() if p.name.startswith("dlgrade-")], "nothing staged in TMPDIR?"
    proc.send_signal(signal.SIGTERM)
    _stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()[-2000:]
    assert not [p.name for p in tmp.iterdir() if p.name.startswith("dlgrade-")]
    assert not marked_processes(marker)
    assert not out.exists(), "a grading that was stopped wrote results"


# -- a dead worker's pid is never signalled ----------------------------------------------------------
def test_a_reaped_worker_pid_is_never_signalled(tmp_path, monkeypatch):
    """Once the harness has reaped a worker, its pid (and group id) may be another process's: the
    teardown signals neither."""
    submission = tmp_path / "probe.py"
    submission.write_text(REFERENCE + "\n\ndef add(x, y):\n    import os\n    os._exit(3)\n")
    client = WorkerClient(WorkerSpec(submission=submission, module="probe", sandbox="none"))
    client.begin_test(seed=1, limit=20)
    try:
        assert client.request({"op": "call", "name": "norm", "calls": [[[[3.0, 4.0]], {}]]}, "norm") == [5.0]
        pid = client.proc.pid
        signalled: list[int] = []
        for name in ("kill", "killpg"):
            real = getattr(os, name)
            monkeypatch.setattr(os, name, lambda target, sig, real=real: (signalled.append(target), real(target, sig)))
        with pytest.raises(WorkerDied):
            client.request({"op": "call", "name": "add", "calls": [[[1.0, 2.0], {}]]}, "add")
        assert pid not in signalled, signalled
    finally:
        client.stop()


# -- the codec and results.json on their own -------------------------------------------------------
def test_decoding_is_bounded_by_the_frame():
    """A frame of n bytes decodes into at most ``EXPANSION`` * n bytes of nested records and
    ``MAX_CONTAINERS`` lists and dicts; record names are short plain text."""
    nested = "x" * 100_000
    for _ in range(EXPANSION + 2):  # each level holds the whole of the one inside while it decodes
        nested = (nested,)
    with pytest.raises(WireError, match="nested too deeply"):
        unpackb(packb(nested))
    assert unpackb(packb(((("x",),),))) == ((("x",),),)
    with pytest.raises(WireError, match="lists and dicts"):
        unpackb(msgpack.packb([[]] * (MAX_CONTAINERS + 1)))
    forged = msgpack.packb(msgpack.ExtType(3, msgpack.packb([7, "\x1b]0;owned\x07" + "T" * 1_000_000])))
    handle = unpackb(forged)
    assert handle.type_name.startswith("]0;ownedTTT") and len(handle.type_name) < 200, handle.type_name[:200]


def test_results_json_is_capped_per_test_and_in_total():
    """Each test's text and all of them together are cut, visibly; a hidden test's print is dropped."""
    tests = [Outcome(nodeid=f"t{i}", title=f"t{i}", function="f", max_score=1, passed=False,
                    visibility="public", message="m" * 100_000, output="p" * 1000) for i in range(30)]
    tests.append(Outcome(nodeid="h", title="h", function="f", max_score=1, passed=True, visibility="hidden",
                         output="HIDDEN-PRINT"))
    data = to_results(GradeReport(lab="probe", submission="x", tests=tests))
    outputs = [t["output"] for t in data["tests"]]
    assert all(len(o) <= TEST_CHARS + 50 for o in outputs)
    assert "more characters not shown" in outputs[0] and "more characters not shown" in outputs[-2]
    assert sum(map(len, outputs)) <= TOTAL_CHARS + 50 * len(outputs)
    assert outputs[-1] == "" and "HIDDEN-PRINT" not in json.dumps(data)
