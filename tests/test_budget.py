"""Memory limits on resident memory (a cgroup, or the harness' watchdog) and the machine budgets, on a tiny lab."""

from __future__ import annotations

import dataclasses
import os
import textwrap
from pathlib import Path

import pytest

from autograder.failures import Kind
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs.spec import Lab
from autograder.sandbox import cgroups, memory
from autograder.sandbox.client import WorkerClient, WorkerSpec
from autograder.sandbox.limits import Limits, under_budget
from autograder.toolkit import Student
from tests.conftest import tiny_lab

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc")

TESTS = '''
from autograder.toolkit import graded


@graded(points=1, function="hog")
def test_hog(student):
    """a function that touches 1.5 GB"""
    assert student.hog() == 1


@graded(points=2, function="sparse")
def test_sparse(student):
    """3 GB of address space, never touched"""
    assert student.sparse() == 3


@graded(points=4, function="small")
def test_small(student):
    """a function within the limit"""
    assert student.small() == 4
'''

SUBMISSION = '''
import mmap

import numpy as np


def hog():
    block = np.ones(3 << 27)  # 1.5 GB, every page touched
    return int(block[-1])


def sparse():
    untouched = np.empty(3 << 30, dtype=np.uint8)
    region = mmap.mmap(-1, 3 << 30)
    region.close()
    return int(untouched.nbytes >> 30)


def small():
    return int(np.ones(1 << 20).sum() / (1 << 18))
'''


@pytest.fixture
def lab_768(tmp_path: Path) -> tuple[Lab, Path]:
    return tiny_lab(tmp_path, "mem", points=7, limits={"memory_mb": 768, "test_timeout": 60}, tests=TESTS,
                    submission=SUBMISSION)


@pytest.fixture(params=["cgroup", "watchdog"])
def how(request, monkeypatch) -> str:
    """Each test under a cgroup where this machine can make one, and under the watchdog."""
    memory.method.cache_clear()
    if request.param == "watchdog":
        monkeypatch.setenv("DLGRADE_SANDBOX_DISABLE", "cgroup")
    elif memory.method()[0] == "watchdog":
        pytest.skip(f"no cgroup here: {memory.method()[1]}")
    yield request.param
    memory.method.cache_clear()


def _leftover_groups() -> list[Path]:
    try:
        _version, parents = cgroups.own_folders()
    except cgroups.CgroupError:
        return []
    return [p for parent in parents.values() for p in parent.glob(f"dlgrade-{os.getpid()}-*")]


@pytest.mark.parametrize("sandbox", ["auto", "none"])
def test_resident_memory_is_limited_not_address_space(lab_768, how, sandbox):
    lab, submission = lab_768
    report = grade(lab, submission, GradingOptions(sandbox=sandbox))
    by_function = {t.function: t for t in report.tests}
    hog = by_function["hog"]
    assert hog.kind is Kind.CRASH and "MB of the 768 MB limit" in hog.message, (hog.kind, hog.message)
    assert by_function["sparse"].passed, by_function["sparse"].message  # RLIMIT_AS at 768 MB refused this
    assert by_function["small"].passed, by_function["small"].message
    assert report.extra["sandbox"]["memory"]["by"] == ("watchdog" if how == "watchdog" else memory.method()[0])
    assert not _leftover_groups()


def test_peak_is_measured_and_groups_removed(lab_768, how):
    lab, submission = lab_768
    runner = WorkerClient(WorkerSpec(submission=submission, module=lab.module, limits=lab.limits))
    try:
        runner.begin_test(seed=0, limit=60)
        assert Student(runner).small() == 4
    finally:
        runner.stop()
    assert 5 < runner.memory_peak_mb < 768, runner.memory_peak_mb
    assert not _leftover_groups()


def test_gradescope_budget_halves_the_cpu(tmp_path):
    if memory.method()[0] == "watchdog":
        pytest.skip(f"no cgroup here: {memory.method()[1]}")
    submission = tmp_path / "burn.py"
    submission.write_text(textwrap.dedent('''
        import time


        def burn(seconds):
            wall, cpu = time.monotonic(), time.process_time()
            while time.monotonic() - wall < seconds:
                pass
            return (time.process_time() - cpu) / seconds
        '''))
    limits = under_budget(Limits(memory_mb=2048), "gradescope")
    assert (limits.cpus, limits.memory_mb) == (0.5, 768)
    runner = WorkerClient(WorkerSpec(submission=submission, module="burn", limits=limits))
    try:
        runner.begin_test(seed=0, limit=60)
        share = Student(runner).burn(2.0)
    finally:
        runner.stop()
    assert share < 0.7, f"the worker got {share:.2f} of a CPU under a 0.5 quota"
    assert not _leftover_groups()


def test_local_budget_keeps_the_labs_limits():
    limits = Limits(memory_mb=4096)
    assert under_budget(limits, "local") == limits
    assert under_budget(dataclasses.replace(limits, memory_mb=512), "gradescope").memory_mb == 512
