"""The sandbox's layers one by one: the plan, strict refusal, honest scores under every layer."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.failures import SandboxUnavailable
from autograder.grading.pipeline import GradingOptions, grade
from autograder.grading.results import check_schema
from autograder.labs import Lab
from autograder.sandbox import isolation, permissions, uids
from autograder.worker import confine
from tests.hostile.battery import FIXTURE, LAB, TEMPLATE

LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def probe_lab(tmp_path_factory) -> Lab:
    root = tmp_path_factory.mktemp("probe-root")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return Lab.load(root / "assignments" / LAB, root)


def test_none_is_resource_limits_only():
    plan = isolation.plan("none")
    assert plan.layers == ["rlimits"] and not plan.strong
    assert plan.describe()["isolation"] == "none"


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        isolation.plan("maybe")


def test_strict_refuses_without_bubblewrap(monkeypatch):
    monkeypatch.setenv("DLGRADE_SANDBOX_DISABLE", "bwrap")
    with pytest.raises(SandboxUnavailable, match="strict"):
        isolation.plan("strict")
    assert not isolation.plan("auto").strong


def test_auto_reports_every_missing_layer(monkeypatch):
    monkeypatch.setenv("DLGRADE_SANDBOX_DISABLE", "bwrap,landlock,seccomp,uid")
    info = isolation.plan("auto").describe()
    assert info["layers"] == ["rlimits"]
    assert {"bubblewrap", "landlock", "seccomp"} <= set(info["missing"])


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
@pytest.mark.parametrize("sockets", ["none", "unix"])
def test_seccomp_program_is_well_formed(arch, sockets):
    program = confine.seccomp_program(arch, sockets, protect_pid=4242)
    assert len(program) % 8 == 0 and len(program) // 8 < 4096
    code, jt, jf, k = struct.unpack("=HBBI", program[-8:])
    assert code == 0x06  # the last instruction returns a verdict
    for i in range(len(program) // 8):  # every jump lands inside the program
        code, jt, jf, k = struct.unpack("=HBBI", program[8 * i:8 * i + 8])
        if code & 0x07 == 0x05:
            assert i + 1 + max(jt, jf) < len(program) // 8


def _grade_in_subprocess(lab: Lab, source: str, tmp: Path, *, sandbox: str, disable: str = "") -> dict:
    """The real grading path, in a fresh process (a layer that breaks the interpreter shows here)."""
    sub = tmp / "probe.py"
    sub.write_text(source)
    out = tmp / "out" / "results.json"
    env = dict(os.environ, DLGRADE_ROOT=str(lab.root), DLGRADE_SANDBOX_DISABLE=disable)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", LAB, str(sub), "--out", str(out),
                           "--quiet", "--sandbox", sandbox], env=env, capture_output=True, timeout=120)
    data = json.loads(out.read_text())
    check_schema(data)
    return {"rc": done.returncode, "data": data, "stdout": done.stdout.decode()}


@pytest.mark.skipif(not LINUX, reason="the layers are Linux features")
def test_cli_strict_without_strong_isolation_writes_an_error_result(probe_lab, tmp_path):
    ran = _grade_in_subprocess(probe_lab, probe_lab.reference.read_text(), tmp_path, sandbox="strict",
                               disable="bwrap")
    assert ran["rc"] == 2
    assert ran["data"]["score"] == 0 and "strict" in ran["data"]["output"]


LAYER_SETS = {
    "none": ("none", ""),
    "auto": ("auto", ""),
    "without-bubblewrap": ("auto", "bwrap"),
    "without-bubblewrap-landlock": ("auto", "bwrap,landlock"),
    "seccomp-only": ("auto", "bwrap,landlock,uid"),
}


@pytest.mark.skipif(not LINUX, reason="the layers are Linux features")
@pytest.mark.parametrize("layers", list(LAYER_SETS), ids=list(LAYER_SETS))
def test_honest_scores_are_the_same_under_every_layer(probe_lab, layers, monkeypatch):
    """The reference gets full marks and the template none, test by test, whatever isolates them."""
    sandbox, disable = LAYER_SETS[layers]
    monkeypatch.setenv("DLGRADE_SANDBOX_DISABLE", disable)
    if sandbox == "auto" and "bwrap" not in disable and isolation.probe_host().bwrap is None:
        pytest.skip(f"bubblewrap is not usable here: {isolation.probe_host().bwrap_note}")
    reference = grade(probe_lab, probe_lab.reference, GradingOptions(sandbox=sandbox))
    assert reference.score == reference.max_score == 10, [(t.nodeid, t.message) for t in reference.tests]
    template_path = probe_lab.root / "template.py"
    template_path.write_text(TEMPLATE)
    template = grade(probe_lab, template_path, GradingOptions(sandbox=sandbox))
    assert template.score == 0 and all(t.kind == "not_implemented" for t in template.tests), \
        [(t.nodeid, t.kind, t.message) for t in template.tests]
    assert reference.extra["sandbox"]["mode"] == sandbox


@pytest.mark.skipif(not LINUX, reason="the layers are Linux features")
def test_a_dedicated_user_grades_where_the_temporary_folder_is_closed(probe_lab, tmp_path, monkeypatch):
    """Without bubblewrap's own /tmp, a temporary folder only root may pass through (mode 0700, as
    some containers' /tmp) does not keep the dedicated user from its home: the reference still grades."""
    pool = isolation.probe_host().pool if isolation.probe_host().root else ()
    if not any(isolation.user_runs_python(uid, gid) for _name, uid, gid in pool):
        pytest.skip(f"no dedicated user here that can run {sys.executable}")
    closed = tmp_path / "closed-tmp"
    closed.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(closed))
    monkeypatch.setenv("DLGRADE_SANDBOX_DISABLE", "bwrap,landlock")
    report = grade(probe_lab, probe_lab.reference, GradingOptions(sandbox="auto"))
    assert report.score == report.max_score == 10, [(t.nodeid, t.message) for t in report.tests]
    assert any(layer.startswith("uid:") for layer in report.extra["sandbox"]["layers"])


def test_a_worker_user_serves_one_worker_at_a_time():
    """A second lease of a taken user waits, then refuses; released, the user serves again."""
    host = isolation.probe_host()
    if not host.root or not host.pool:
        pytest.skip(f"no dedicated users here: {host.user_note or 'not root'}")
    last = host.pool[-1:]  # the pool's last: the first is what other installs of dlgrade use
    first = uids.lease(last, wait=0)
    try:
        with pytest.raises(SandboxUnavailable, match="busy"):
            uids.lease(last, wait=0.2)
    finally:
        first.release()
    uids.lease(last, wait=0).release()


@pytest.mark.skipif(not LINUX, reason="the layers are Linux features")
def test_worker_reports_what_it_applied(probe_lab):
    """The worker's first frame (before any student code) lists the layers it applied itself."""
    from autograder.sandbox.client import WorkerClient, WorkerSpec

    client = WorkerClient(WorkerSpec(submission=probe_lab.reference, module="probe", limits=probe_lab.limits))
    try:
        client.begin_test(seed=0, limit=60)
        assert client.request({"op": "has", "name": "add"}, None) is True
        plan = client.plan
        assert ("seccomp" in client.applied) == plan.seccomp
        assert ("landlock" in client.applied) == plan.landlock
        assert ("uid" in client.applied) == (plan.user is not None)
    finally:
        client.stop()


@pytest.mark.skipif(not LINUX, reason="the layers are Linux features")
def test_a_worker_that_cannot_confine_itself_stops_grading(probe_lab, monkeypatch):
    """Not a score of 0: grading stops with SandboxUnavailable (the CLI writes an error result)."""
    from autograder.sandbox import client as client_module

    real = client_module.worker_command

    def broken(*args, **kwargs):
        cmd = real(*args, **kwargs)
        config = json.loads(cmd.argv[-1])
        config["rlimits"]["AS"] = "not a number"
        cmd.argv[-1] = json.dumps(config)
        return cmd

    monkeypatch.setattr(client_module, "worker_command", broken)
    with pytest.raises(SandboxUnavailable, match="dlgrade-sandbox"):
        grade(probe_lab, probe_lab.reference)


def test_file_permissions_close_a_checkout_but_the_way_to_its_interpreter(tmp_path, monkeypatch):
    """Without bubblewrap and Landlock: everything of the checkout is closed to other users (its
    .git, its dist/ zips, its files), except a traverse bit on the way to a .venv inside it."""
    repo = tmp_path / "repo"
    for folder in (".venv/bin", ".git/objects", "dist/lab"):
        (repo / folder).mkdir(parents=True)
    (repo / "notes.md").write_text("")
    for path in (repo, *repo.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    monkeypatch.setattr(permissions, "python_roots", lambda: [str(repo / ".venv")])
    user = ("worker", 4242, 4242)
    plan = isolation.Plan(mode="auto", root=True, user=user, users=(user,), seccomp=True)
    changed = permissions.protect_by_permissions([repo / "dist"], plan)  # the repository is found from inside
    others = {p.name: p.stat().st_mode & 0o007 for p in (repo, *repo.iterdir())}
    assert others == {"repo": 0o001, ".venv": 0o005, ".git": 0, "dist": 0, "notes.md": 0}, others
    assert str(repo / ".venv") not in changed
