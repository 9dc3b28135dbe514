"""Does every lab fit Gradescope's default container? Each lab's reference and alternative solution
(tests/labs/*_alt_solution.py) graded under ``--budget gradescope``, one fresh process per grading,
that process and its worker together inside one control group of half a CPU and 768 MB, as the
container holds them (where no group can be made: pinned to one core beside a busy loop, which
leaves it about half of it). Measured: its time and score, and the peak resident memory of the
harness and its worker's processes as a cold container counts it: their resident sizes added up
(libraries' pages included, as a container that reads them first is charged for them), sampled
every 20 ms, and never less than the harness's own peak plus the worker group's peak.

``python bench/budget.py [LAB...]`` prints the figures; ``python bench/budget.py --one LAB FILE``
grades one and prints its measures as JSON (what each figure's process runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import find_lab, list_labs
from autograder.sandbox import memory
from autograder.sandbox.client import WorkerClient, WorkerSpec
from autograder.sandbox.limits import BUDGETS, Limits, under_budget

BUDGET = "gradescope"
ALT_SOLUTIONS = Path(__file__).resolve().parent.parent / "tests" / "labs"
GOAL_SECONDS = {"numpy": 10.0, "torch": 60.0}
GOAL_MB = 600.0
SAMPLE_S = 0.02
NO_QUOTA_ENV = "DLGRADE_BENCH_NO_QUOTA"  # the taskset fallback: the worker gets the memory limit, no quota


def solutions(lab_name: str) -> list[tuple[str, Path]]:
    lab = find_lab(lab_name)
    both = (("reference", lab.reference), ("alternative", ALT_SOLUTIONS / f"{lab_name}_alt_solution.py"))
    return [(label, path) for label, path in both if path.exists()]


def measure(lab_name: str, path: Path) -> dict:
    """Grade ``path`` in this process under the budget (run inside the budget's group by ``graded``)."""
    lab = find_lab(lab_name)
    limits = under_budget(lab.limits, BUDGET)
    if os.environ.get(NO_QUOTA_ENV):
        limits = replace(limits, cpus=0.0)
    lab = replace(lab, limits=limits)
    runner = WorkerClient(WorkerSpec(submission=path.resolve(), module=lab.module, forbidden=lab.forbidden_imports,
                                     probes=lab.probes, limits=lab.limits, protect=lab.private_paths))
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            peak[0] = max(peak[0], memory.tree_rss_mb(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    report = grade(lab, None, GradingOptions(), runner=runner)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    harness_mb = own_peak_mb()
    return {"score": report.score, "max": report.max_score, "seconds": seconds, "harness_mb": harness_mb,
            "worker_mb": runner.memory_peak_mb, "peak_mb": max(peak[0], harness_mb + runner.memory_peak_mb),
            "lost": [t.nodeid for t in report.tests if not t.passed], "torch_in_harness": "torch" in sys.modules}


def own_peak_mb() -> float:
    """This process's peak resident size (VmHWM: unlike ``ru_maxrss``, not inherited from the parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def graded(lab_name: str, path: Path) -> dict:
    """``measure`` in a fresh process held to the budget; adds how it was held ("how") and the group's peak."""
    machine = BUDGETS[BUDGET]
    argv = [sys.executable, __file__, "--one", lab_name, str(path)]
    env = dict(os.environ)
    busy = None
    try:
        guard = memory.MemoryGuard(Limits(memory_mb=machine.memory_mb, cpus=machine.cpus))
    except Exception:  # noqa: BLE001 - no group here (watchdog or no CPU controller): the fallback, said in "how"
        guard = None
    if guard is not None and guard.box is not None:
        argv, how = guard.wrap(argv), f"cgroup {machine.cpus:g} CPU, {machine.memory_mb} MB"
    else:
        guard, how = None, "taskset 1 core + busy loop"
        env[NO_QUOTA_ENV] = "1"
        busy = subprocess.Popen(["taskset", "-c", "0", sys.executable, "-c", "while True: pass"])
        argv = ["taskset", "-c", "0", *argv]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env)
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
        group_mb = guard.close() if guard is not None else None
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1], "how": how}
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"how": how, "group_mb": group_mb}


def figures(lab_names: list[str], quick: bool = False) -> list:
    """Each lab's solutions under the budget: seconds and peak memory against their goals."""
    from figures import Figure

    out = []
    for name in lab_names:
        framework = find_lab(name).framework
        for label, path in solutions(name)[: 1 if quick else None]:
            load = os.getloadavg()[0]
            m = graded(name, path)
            what = f"{name} {label}, grade at 1/2 CPU"
            if "error" in m:
                out.append(Figure(what, float("nan"), note=f"{m['how']}: error: {m['error']}", load=load))
                continue
            score = f"{m['score']:g}/{m['max']:g}" + (" LOST " + ", ".join(m["lost"]) if m["lost"] else "")
            out.append(Figure(what, m["seconds"], goal=GOAL_SECONDS[framework], load=load,
                              note=f"{score}; {m['how']}"))
            group = f"; the group's own peak {m['group_mb']:.0f} MB" if m.get("group_mb") else ""
            out.append(Figure(f"{name} {label}, peak harness + worker", m["peak_mb"], unit="MB", goal=GOAL_MB,
                              load=load, note=f"harness {m['harness_mb']:.0f} MB (torch imported: "
                                              f"{'yes' if m['torch_in_harness'] else 'no'}), worker "
                                              f"{m['worker_mb']:.0f} MB{group}"))
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]))))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from figures import table
        from rich.console import Console

        Console().print(table(figures(sys.argv[1:] or list_labs()), f"each lab under --budget {BUDGET}"))
