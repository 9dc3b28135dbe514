"""A control group for one worker's processes: its resident memory limit and CPU quota.

The group is made below the harness's own (its limits still apply above it) and named
``dlgrade-<harness pid>-<n>``. cgroup v1 keeps memory and cpu in separate hierarchies, so a group
there is one folder per controller; cgroup v2 is one folder, usable only where the harness's own
group may delegate the controllers (its ``cgroup.subtree_control`` takes them: the harness's group
is the root of its namespace, or already delegates). Groups a dead harness left behind are removed
the next time one is made beside them.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from pathlib import Path

MIB = 1024 * 1024
CPU_PERIOD_US = 100_000
_counter = itertools.count()


class CgroupError(Exception):
    """No group can be made here, and why."""


def _own_groups() -> dict[str, str]:
    """Controller -> this process's group path ("" for the v2 hierarchy), from /proc/self/cgroup."""
    out: dict[str, str] = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        _hid, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            out[name] = path
    return out


def _mounts() -> list[tuple[str, str, str, set[str]]]:
    """(root, mount point, fstype, super options) of each cgroup file system, from mountinfo."""
    out = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        fields = line.split()
        sep = fields.index("-")
        fstype = fields[sep + 1]
        if fstype in ("cgroup", "cgroup2"):
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            out.append((fields[3], point, fstype, set(fields[sep + 3].split(","))))
    return out


def _folder(root: str, point: str, path: str) -> Path | None:
    if root != "/" and not (path == root or path.startswith(root + "/")):
        return None  # our group is outside what this mount shows
    return Path(point + (path[len(root):] if root != "/" else path).rstrip("/"))


def own_folders() -> tuple[str, dict[str, Path]]:
    """("v1", {"memory": folder, "cpu": folder}) or ("v2", {"": folder}) of this process's groups."""
    groups, mounts = _own_groups(), _mounts()
    v1 = {}
    for controller in ("memory", "cpu"):
        for root, point, fstype, options in mounts:
            if fstype == "cgroup" and controller in options and controller in groups:
                folder = _folder(root, point, groups[controller])
                if folder is not None and folder.is_dir():
                    v1[controller] = folder
                break
    if "memory" in v1:
        return "v1", v1
    for root, point, fstype, _options in mounts:
        if fstype == "cgroup2" and "" in groups:
            folder = _folder(root, point, groups[""])
            if folder is not None and folder.is_dir():
                return "v2", {"": folder}
    raise CgroupError("no cgroup file system with a memory controller is mounted")


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _read_int(path: Path, key: str | None = None) -> int | None:
    """The number in ``path``, or the one after ``key`` in a flat-keyed file; None when absent."""
    try:
        text = path.read_text()
    except OSError:
        return None
    if key is None:
        return int(text.split()[0]) if text.strip() and text.split()[0].isdigit() else None
    found = re.search(rf"^{key} (\d+)$", text, re.M)
    return int(found.group(1)) if found else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _sweep(parent: Path) -> None:
    """Remove empty groups of harnesses that are gone (killed before they could remove them)."""
    for entry in parent.glob("dlgrade-*-*"):
        found = re.fullmatch(r"dlgrade-(\d+)-\d+", entry.name)
        if found and int(found.group(1)) != os.getpid() and not _alive(int(found.group(1))):
            try:
                entry.rmdir()
            except OSError:
                pass


class Box:
    """One group (a folder per hierarchy) holding a worker's processes."""

    def __init__(self, version: str, folders: dict[str, Path]) -> None:
        self.version, self.folders = version, folders

    @classmethod
    def create(cls, memory_mb: int, cpus: float = 0.0) -> Box:
        """A new group limited to ``memory_mb`` of memory (no swap) and ``cpus`` CPUs (0: no quota)."""
        version, parents = own_folders()
        if version == "v1" and cpus and "cpu" not in parents:
            raise CgroupError("no cgroup v1 cpu controller is mounted")
        name = f"dlgrade-{os.getpid()}-{next(_counter)}"
        folders: dict[str, Path] = {}
        box = cls(version, folders)
        try:
            for controller, parent in parents.items():
                if controller == "cpu" and not cpus:
                    continue
                _sweep(parent)
                if version == "v2":
                    wanted = {"memory", *(["cpu"] if cpus else [])}
                    enabled = set((parent / "cgroup.subtree_control").read_text().split())
                    if wanted - enabled:
                        _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in wanted - enabled))
                (parent / name).mkdir()
                folders[controller] = parent / name
            box._limit(memory_mb * MIB, cpus)
        except OSError as exc:
            box.remove()
            raise CgroupError(f"cannot make a cgroup: {exc}") from None
        return box

    def _limit(self, limit: int, cpus: float) -> None:
        quota = int(cpus * CPU_PERIOD_US)
        if self.version == "v1":
            memory = self.folders["memory"]
            _write(memory / "memory.limit_in_bytes", str(limit))
            if (memory / "memory.memsw.limit_in_bytes").exists():  # memory plus swap: no swapping out of it
                _write(memory / "memory.memsw.limit_in_bytes", str(limit))
            if cpus:
                _write(self.folders["cpu"] / "cpu.cfs_period_us", str(CPU_PERIOD_US))
                _write(self.folders["cpu"] / "cpu.cfs_quota_us", str(quota))
            return
        folder = self.folders[""]
        _write(folder / "memory.max", str(limit))
        if (folder / "memory.swap.max").exists():
            _write(folder / "memory.swap.max", "0")
        if cpus:
            _write(folder / "cpu.max", f"{quota} {CPU_PERIOD_US}")

    @property
    def _memory(self) -> Path:
        return self.folders["memory" if self.version == "v1" else ""]

    def procs_files(self) -> list[Path]:
        """The files a process writes its pid into to join the group (one per hierarchy)."""
        return [folder / "cgroup.procs" for folder in self.folders.values()]

    def peak_mb(self) -> float:
        """The most memory the group held at once (v2 before Linux 5.19: what it holds now)."""
        name = "memory.max_usage_in_bytes" if self.version == "v1" else "memory.peak"
        value = _read_int(self._memory / name)
        if value is None:
            value = _read_int(self._memory / "memory.current") or 0
        return value / MIB

    def killed_at_limit(self) -> bool:
        """Whether the kernel killed a process of the group because the group hit its own limit
        (not because the machine, or a group above, ran out)."""
        memory = self._memory
        if self.version == "v1":  # memory.failcnt stays 0 on some kernels: the peak says the limit was reached
            kills = _read_int(memory / "memory.oom_control", "oom_kill")  # None: a kernel before 4.13
            limit = _read_int(memory / "memory.limit_in_bytes") or 0
            return kills != 0 and (_read_int(memory / "memory.max_usage_in_bytes") or 0) >= limit - MIB
        events = memory / "memory.events"
        return bool(_read_int(events, "oom")) and bool(_read_int(events, "oom_kill"))

    def remove(self, timeout: float = 2.0) -> bool:
        """Remove the group's folders (its processes must be gone: v2 kills what is left)."""
        end = time.monotonic() + timeout
        removed = True
        for folder in self.folders.values():
            if self.version == "v2" and (folder / "cgroup.kill").exists():
                try:
                    _write(folder / "cgroup.kill", "1")
                except OSError:
                    pass
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # exiting processes leave the group a moment later
                    if time.monotonic() > end:
                        removed = False
                        break
                    time.sleep(0.01)
        return removed
