"""The worker's memory limit, on resident memory: what a Gradescope container counts, not address space.

Where the harness can make a cgroup (``cgroups.py``: as root, or with a delegated group), the
worker is born in one limited to ``memory_mb`` (a shell joins it, then execs the worker's command:
all the worker starts is born there too, and nothing escapes it), and the kernel kills a process
of it that goes over; the group's own counters say it was
the limit and how much it used. Elsewhere a watchdog in the harness adds up the resident size
(``VmRSS``) of the worker and every process below it while it waits for a reply, and kills the
tree once the sum goes over. Either way the test fails with "used N MB of the M MB limit" and
the next test gets a new worker. ``DLGRADE_SANDBOX_DISABLE=cgroup`` forces the watchdog.

Address space stays bounded too, but only as a backstop for what a watchdog may miss between two
looks (``limits.address_space_mb``): importing CPU torch maps ~650 MB of it that is never resident.
"""

from __future__ import annotations

import functools
import time

from autograder.failures import SandboxUnavailable
from autograder.sandbox import isolation, teardown
from autograder.sandbox.cgroups import Box, CgroupError
from autograder.sandbox.limits import Limits

WATCHDOG_INTERVAL = 0.05  # seconds between two looks at the tree's resident size


def over_limit(used_mb: float, limits: Limits) -> str:
    return f"used {used_mb:.0f} MB of the {limits.memory_mb} MB limit (resident memory of its processes)"


@functools.cache
def method() -> tuple[str, str]:
    """("cgroup v1" | "cgroup v2", "") where a group can be made here, else ("watchdog", why not)."""
    if "cgroup" in isolation.disabled():
        return "watchdog", "cgroup disabled by DLGRADE_SANDBOX_DISABLE"
    try:
        box = Box.create(64)
    except CgroupError as exc:
        return "watchdog", str(exc)
    box.remove()
    return f"cgroup {box.version}", ""


def describe(limits: Limits) -> dict:
    """What results.json says about the memory limit (``extra_data["sandbox"]["memory"]``)."""
    how, why = method()
    out: dict = {"limit_mb": limits.memory_mb, "counted": "resident, worker's process tree", "by": how}
    if why:
        out["no_cgroup"] = why
    if limits.cpus:
        out["cpus"] = limits.cpus
    return out


def tree_rss_mb(root: int) -> float:
    """The resident size of ``root`` and every process below it, added up."""
    total = 0
    for pid in teardown.tree(root):
        try:
            with open(f"/proc/{pid}/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return total / 1024


class MemoryGuard:
    """The memory limit of one worker: made before it starts, closed once it is gone."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.peak_mb = 0.0
        self.box: Box | None = None
        self._root: int | None = None
        self._next_look = 0.0
        if method()[0] != "watchdog":
            try:
                self.box = Box.create(limits.memory_mb, limits.cpus)
            except CgroupError as exc:
                if limits.cpus:
                    raise SandboxUnavailable(f"a CPU quota of {limits.cpus:g} needs a cgroup: {exc}") from None
        elif limits.cpus:
            raise SandboxUnavailable(f"a CPU quota of {limits.cpus:g} needs a cgroup: {method()[1]}")

    @property
    def interval(self) -> float | None:
        """How often ``look`` must run while the worker computes (None: the kernel watches)."""
        return None if self.box is not None else WATCHDOG_INTERVAL

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` run from inside the group: a shell writes its pid into it, then becomes ``argv``."""
        if self.box is None:
            return argv
        files = self.box.procs_files()
        join = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 111; shift; n=$((n - 1)); done; exec "$@"'
        return ["/bin/sh", "-c", join, "dlgrade-cgroup", str(len(files)), *map(str, files), *argv]

    def watch(self, root: int) -> None:
        """The worker started as ``root``: the watchdog looks at it and what it starts."""
        self._root = root

    def look(self) -> float | None:
        """The watchdog: the tree's resident size when it is over the limit, else None."""
        if self.box is not None or self._root is None or time.monotonic() < self._next_look:
            return None
        self._next_look = time.monotonic() + WATCHDOG_INTERVAL
        used = tree_rss_mb(self._root)
        self.peak_mb = max(self.peak_mb, used)
        return used if used > self.limits.memory_mb else None

    def killed_for_memory(self) -> float | None:
        """After the worker died: what it used, when the kernel killed it for going over the limit."""
        if self.box is not None and self.box.killed_at_limit():
            return self.box.peak_mb()
        return None

    def close(self) -> float:
        """Remove the group (the worker's processes are gone); the most memory the worker held."""
        if self.box is not None:
            self.peak_mb = max(self.peak_mb, self.box.peak_mb())
            self.box.remove()
            self.box = None
        return self.peak_mb
