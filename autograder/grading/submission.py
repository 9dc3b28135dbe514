"""Turning what a student handed in (a .py, a .ipynb, a folder, a .zip) into one module file.

One rule chooses what is graded, whatever the entry point (``dlgrade grade`` and ``check``, a batch,
a notebook's check cell, Gradescope, which always hands over a folder):

1. the candidates are the .py and .ipynb files of the submission: the file itself, or every one in
   the folder and in the .zip files it holds (a .zip is opened as if it were a folder where it
   lies; a .zip inside a .zip is not opened); hidden files and folders, ``__MACOSX`` and
   ``__pycache__`` are not candidates;
2. the lab's file (``backprop.py``) comes first, then the lab's notebook (``backprop.ipynb``); of
   two with the same name, the shallowest, then the first in alphabetical order;
3. with neither, a single candidate of any name is graded; several are not guessed between.

The notes say which file was graded and which candidates were not; a submission with nothing to
grade gets one note that says why. A notebook is graded by its definitions (``notebook_code``).

Everything is read as data, never followed (``files.read_untrusted``): links, FIFOs and devices are
refused, in folders and as zip entries alike, and so are zip entries whose path leaves the archive;
sizes, entry counts and the time taken are bounded.
"""

from __future__ import annotations

import ast
import io
import stat
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.files import RefusedFile, megabytes, read_untrusted, refusal, walk_untrusted
from autograder.grading.notebook_code import MAX_NOTEBOOK_BYTES, NotebookError, notebook_source_bounded
from autograder.labs import Lab


class SubmissionError(Exception):
    """Nothing in the submission can be graded; the message says why and what to hand in."""


MAX_SOURCE_BYTES = 5 * 2**20
MAX_ZIP_BYTES = 64 * 2**20  # a .zip handed in, or all the .zip files of a folder together
MAX_UNPACKED_BYTES = 256 * 2**20  # what one .zip's entries say they hold
MAX_ENTRIES = 10_000  # files in a folder, entries in a .zip
PREPARE_SECONDS = 60.0
CODE_SUFFIXES = (".py", ".ipynb")
_NOISE = ("__MACOSX", "__pycache__")


@dataclass(frozen=True)
class Prepared:
    """The module file to grade and what the report says about the choice."""

    path: Path
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    shown: str
    """Where it is, as the student knows it: ``archive/backprop.py``, ``work.zip/backprop.py``."""
    read: Callable[[int], bytes]
    """Its bytes, at most the given number of them (``SubmissionError`` otherwise)."""

    @property
    def name(self) -> str:
        return PurePosixPath(self.shown).name

    @property
    def depth(self) -> int:
        return len(PurePosixPath(self.shown).parts)


@dataclass
class _Found:
    candidates: list[_Candidate] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """One line per thing that was not read, and why."""
    zip_bytes: int = 0


def prepare_module(submission: Path, lab: Lab, workdir: Path, *, seconds: float = PREPARE_SECONDS) -> Prepared:
    """Write the submission's module to ``workdir/<student file>``; ``SubmissionError`` when none can be."""
    deadline = time.monotonic() + seconds
    submission = Path(submission)
    try:
        mode = submission.lstat().st_mode
    except FileNotFoundError:
        raise SubmissionError(f"{submission} does not exist") from None
    found = _Found()
    if stat.S_ISDIR(mode):
        _add_folder(submission, found)
    elif refusal(mode) is not None:
        raise SubmissionError(f"{submission.name} is {refusal(mode)}")
    elif submission.suffix in CODE_SUFFIXES:
        found.candidates.append(_Candidate(submission.name, lambda limit: _read(submission, submission.name, limit)))
    elif submission.suffix == ".zip":
        _add_zip(_read(submission, submission.name, MAX_ZIP_BYTES), submission.name, "", found)
    else:
        raise SubmissionError(
            f"{submission.name}: hand in {lab.student_file}, a notebook, a folder or a .zip holding it")
    chosen, ignored = _choose(found, lab)
    source = _module_source(chosen, lab, deadline)
    target = workdir / lab.student_file
    target.write_text(source, encoding="utf-8")
    return Prepared(target, (f"graded {chosen.shown}", *ignored, *found.refused))


# -- gathering the candidates ---------------------------------------------------------------------
def _is_noise(name: str) -> bool:
    return name.startswith(".") or name in _NOISE


def _read(path: Path, shown: str, limit: int) -> bytes:
    try:
        return read_untrusted(path, limit)
    except RefusedFile as exc:
        raise SubmissionError(shown + str(exc).removeprefix(path.name)) from None


def _add_folder(folder: Path, found: _Found) -> None:
    try:
        entries = walk_untrusted(folder, MAX_ENTRIES, prune=_is_noise)
    except RefusedFile as exc:
        raise SubmissionError(f"the folder {exc}") from None
    for entry in entries:
        if _is_noise(entry.path.name):
            continue
        shown, path, why = entry.path.as_posix(), folder / entry.path, refusal(entry.mode)
        if why is not None:
            found.refused.append(f"not read: {shown} is {why}")
        elif entry.path.suffix in CODE_SUFFIXES:
            found.candidates.append(_Candidate(shown, lambda limit, p=path, s=shown: _read(p, s, limit)))
        elif entry.path.suffix == ".zip":
            found.zip_bytes += entry.size
            if found.zip_bytes > MAX_ZIP_BYTES:
                found.refused.append(f"not read: {shown} (the folder's .zip files together are larger than "
                                     f"{megabytes(MAX_ZIP_BYTES)})")
                continue
            try:
                _add_zip(_read(path, shown, MAX_ZIP_BYTES), shown, shown + "/", found)
            except SubmissionError as exc:  # the folder's other files may still be graded
                found.refused.append(f"not read: {exc}")


def _add_zip(data: bytes, shown: str, prefix: str, found: _Found) -> None:
    """The candidates of the .zip ``data`` (``shown``), shown under ``prefix``: where it lies in a folder."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SubmissionError(f"{shown} is not a readable zip file ({exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise SubmissionError(f"{shown} holds more than {MAX_ENTRIES} entries")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise SubmissionError(f"{shown} would unpack to more than {megabytes(MAX_UNPACKED_BYTES)}")
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        inside = prefix + name.as_posix()
        mode = info.external_attr >> 16
        why = refusal(mode) if stat.S_IFMT(mode) else None  # no file type: a zip made without Unix modes
        if name.is_absolute() or ".." in name.parts or ":" in name.parts[0]:
            why = "a path outside the archive"
        elif info.is_dir() or any(_is_noise(part) for part in name.parts):
            continue
        if why is not None:
            found.refused.append(f"not read: {inside} is {why}")
        elif name.suffix in CODE_SUFFIXES:
            found.candidates.append(_Candidate(inside, lambda limit, i=info, s=inside: _zip_entry(data, i, s, limit)))
        elif name.suffix == ".zip":
            found.refused.append(f"not read: {inside} (a .zip inside a .zip is not opened)")


def _zip_entry(data: bytes, info: zipfile.ZipInfo, shown: str, limit: int) -> bytes:
    if info.file_size > limit:
        raise SubmissionError(f"{shown} is larger than {megabytes(limit)}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(info) as fh:
            content = fh.read(limit + 1)  # the size an entry declares may lie
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise SubmissionError(f"{shown} cannot be unpacked ({exc})") from None
    if len(content) > limit:
        raise SubmissionError(f"{shown} is larger than {megabytes(limit)}")
    return content


# -- choosing -------------------------------------------------------------------------------------
def _choose(found: _Found, lab: Lab) -> tuple[_Candidate, list[str]]:
    """The candidate the rule grades, and a note naming the others; ``SubmissionError`` without one."""
    notebook = f"{lab.module}.ipynb"

    def rank(c: _Candidate) -> tuple[int, int, str]:
        return ({lab.student_file: 0, notebook: 1}.get(c.name, 2), c.depth, c.shown)

    ranked = sorted(found.candidates, key=rank)
    why_not = "\n".join(found.refused)
    if not ranked:
        raise SubmissionError(f"{why_not}\n" * bool(why_not) + f"nothing to grade: no {lab.student_file}, no "
                              f"notebook and no other .py file that can be read; hand in {lab.student_file}")
    best, others = ranked[0], [c.shown for c in ranked[1:]]
    if rank(best)[0] == 2 and others:
        listed = _listing([best.shown, *others])
        raise SubmissionError(f"{why_not}\n" * bool(why_not) + f"nothing graded: no {lab.student_file}, and "
                              f"{len(ranked)} files that could be it ({listed}); name the one to grade "
                              f"{lab.student_file}")
    if not others:
        return best, []
    rule = (f"the {lab.student_file} nearest the top is graded" if rank(best)[0] == 0 else
            f"{notebook} is graded when there is no {lab.student_file}")
    return best, [f"not graded: {_listing(others)} ({rule})"]


def _listing(names: list[str], most: int = 10) -> str:
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


# -- the module's source --------------------------------------------------------------------------
def _module_source(chosen: _Candidate, lab: Lab, deadline: float) -> str:
    if chosen.name.endswith(".ipynb"):
        return _notebook_module(chosen, lab, deadline)
    data = chosen.read(MAX_SOURCE_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(f"{chosen.shown} is not UTF-8 text") from None


def _notebook_module(chosen: _Candidate, lab: Lab, deadline: float) -> str:
    data = chosen.read(MAX_NOTEBOOK_BYTES)
    try:
        source = notebook_source_bounded(data, chosen.shown, deadline - time.monotonic())
    except NotebookError as exc:
        raise SubmissionError(str(exc)) from None
    if len(source.encode()) > MAX_SOURCE_BYTES:
        raise SubmissionError(f"the code of {chosen.shown} is larger than {megabytes(MAX_SOURCE_BYTES)}")
    wanted = _template_names(lab.template)
    if wanted and not set(wanted) & _top_level_names(source):  # said once, not as every test's failure
        raise SubmissionError(f"{chosen.shown} defines none of {', '.join(wanted)}: "
                              f"did you mean to hand in {lab.student_file}?")
    return source


def _template_names(template: Path) -> tuple[str, ...]:
    """What students write: the template's public top-level functions and classes (none where the
    template is not installed)."""
    try:
        tree = ast.parse(template.read_text())
    except (OSError, SyntaxError):
        return ()
    return tuple(n.name for n in tree.body
                 if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_"))


def _top_level_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).partition(".")[0] for a in node.names}
    return names
