"""Without bubblewrap or Landlock, file permissions keep the dedicated users out of grading material.

The worker needs nothing of the project: its code, the submission and the probes are staged copies
(``launch.py``); it runs only the interpreter and its packages. So every folder the harness knows to
hold grading material (the lab's root: the repository or the bundle, with its ``dist/`` zips and
everything else in it; the lab itself; the results and submissions folders), and each git checkout
holding one of them, is closed to "other" (and to the dedicated users' groups) as a whole. Where
the interpreter lies inside one (a ``.venv`` in the checkout), that folder keeps only its traverse
bit and each entry beside the way to the interpreter is closed in turn. A worktree's ``.git`` is a
file: the repository it names (its objects) is closed too. Shared sticky folders (``/tmp``) are
never touched. The change stays: the folders are then as closed to others as root's own files.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from autograder.sandbox.isolation import Plan
from autograder.sandbox.launch import python_roots


def protect_by_permissions(paths, plan: Plan) -> list[str]:
    """Close ``paths`` (and the repositories around them) to the worker users, when only file
    permissions stand between them; returns the paths changed."""
    if not plan.user or plan.bwrap or plan.landlock or not plan.root:
        return []
    needed = [*python_roots(), os.path.realpath(sys.executable)]
    groups = {gid for _name, _uid, gid in plan.users}
    changed: list[str] = []
    for root in dict.fromkeys(_with_repositories(paths)):
        _close(root, needed, groups, changed)
    return changed


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip("/") + "/")


def _with_repositories(paths) -> list[str]:
    """``paths`` resolved, and each git checkout holding one of them, whole (its other files are
    copies of the same material); for a worktree, whose ``.git`` is a file, also the repository's
    own ``.git``, where the objects are, and the checkout around it."""
    out: list[str] = []
    for path in paths:
        real = os.path.realpath(path)
        out.append(real)
        for folder in [Path(real), *Path(real).parents]:
            dot_git = folder / ".git"
            if dot_git.is_dir():
                out.append(str(folder))
                break
            if dot_git.is_file():
                out += [str(folder), *_worktree_git_dirs(dot_git)]
                break
    return out


def _worktree_git_dirs(dot_git: Path) -> list[str]:
    try:
        text = dot_git.read_text()
    except OSError:
        return []
    if not text.startswith("gitdir:"):
        return []
    gitdir = (dot_git.parent / text[len("gitdir:"):].strip()).resolve()
    found = [str(gitdir)]
    try:
        common = (gitdir / (gitdir / "commondir").read_text().strip()).resolve()
    except OSError:
        return found
    found.append(str(common))
    if common.name == ".git":
        found.append(str(common.parent))  # the repository's own checkout
    return found


def _close(path: str, needed: list[str], groups: set[int], changed: list[str]) -> None:
    """Take read and write from "other" and the worker groups on ``path``; all of it, unless the
    interpreter lies below, then its entries one by one."""
    if any(_under(path, n) for n in needed):
        return  # the worker runs what lies here
    try:
        fd = os.open(path, os.O_PATH | os.O_NOFOLLOW)
    except OSError:
        return  # gone, or a link: a link is closed where it points, if that is grading material
    try:
        st = os.fstat(fd)
        if stat.S_ISLNK(st.st_mode) or (stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX):
            return  # a shared sticky folder like /tmp
        inside = stat.S_ISDIR(st.st_mode) and any(_under(n, path) for n in needed)
        shut = 0o006 if inside else 0o007  # keep "other"'s traverse bit on the way to the interpreter
        mode = st.st_mode & 0o7777
        new = mode & ~shut
        if st.st_gid in groups:
            new &= ~(shut << 3)
        if new != mode:
            # Through the descriptor: an entry swapped for a link meanwhile is not followed.
            os.chmod(f"/proc/self/fd/{fd}", new)
            changed.append(path)
    finally:
        os.close(fd)
    if inside:
        try:
            entries = os.listdir(path)
        except OSError:
            return
        for entry in entries:
            _close(os.path.join(path, entry), needed, groups, changed)
