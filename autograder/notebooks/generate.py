"""The student notebook of a lab, generated from its instructions.md.

The instructions' sections become markdown cells in order. Each function the public tests grade
gets a check cell right after the part of the instructions that introduces it: the list item or
table row that starts with its name (``1. `affine_forward(x, w, b)` ...``), else the first
passage that names it in backticks. The lab's demos (its ``demo.py``, read by ``demos``) follow
the check cell of the function they need. Students write their code in ``<lab>.py`` next to the
notebook; the notebook imports it with autoreload, so an edit shows at the next run of a cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.labs import Lab
from autograder.notebooks.demos import DemoCell, read_demos

_HEADING = re.compile(r"^(#{1,6})\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^(\d+[.)]|[-*+])\s+")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_IDENT = re.compile(r"[A-Za-z_]\w*")

PREFACE = """Write your code in `{student_file}`, next to this notebook: the notebook imports it and
reloads it whenever you change it. After each part, run its check cell: it runs that part's
public tests and shows, for every failing test, the smallest input that fails, the worst element
(expected against got) and a hint. The same tests run with `./dlgrade check {lab}` in a terminal.
Hidden tests run when you submit; they check the harder cases too.

Hand in `{student_file}`. If you would rather write your code in this notebook's cells, hand in
the notebook: its imports, functions, classes and constants are graded (nothing else runs), and
`check("{lab}", "name", source=CELLS)` checks the cells you have run."""


@dataclass
class _Chunk:
    lines: list[str]
    kind: str  # "heading", "item", "table" or "text"
    checks: list[str] = field(default_factory=list)

    @property
    def lead(self) -> list[str]:
        """The lines that introduce names: an item's first line, every row of a table."""
        if self.kind == "item":
            return self.lines[:1]
        if self.kind == "table":
            return [row.split("|")[1] if row.count("|") > 1 else row for row in self.lines]
        return []


def graded_groups(lab: Lab) -> list[str]:
    """The functions and classes the public tests grade, in the tests' order (``Net.loss`` -> ``Net``)."""
    from autograder.grading.pipeline import GradingOptions, collect

    groups: list[str] = []
    for outcome in collect(lab, GradingOptions(hidden=False)):
        if outcome.function:
            group = outcome.function.split(".")[0]
            if group not in groups:
                groups.append(group)
    return groups


def build_notebook(lab: Lab):
    """The notebook (an ``nbformat`` node) for ``lab``."""
    import nbformat

    groups = graded_groups(lab)
    text = lab.instructions.read_text() if lab.instructions.exists() else f"# {lab.title}\n"
    chunks = _chunks(text)
    unplaced = _assign(chunks, groups)
    demos = read_demos(lab.notebook_demos)
    cells: list = []

    def markdown(lines: list[str]) -> None:
        body = "\n".join(lines).strip("\n")
        if body.strip():
            cells.append(nbformat.v4.new_markdown_cell(body))

    def code(source: str, tags: tuple[str, ...] = ()) -> None:
        cell = nbformat.v4.new_code_cell(source.strip("\n"))
        if tags:
            cell.metadata["tags"] = list(tags)
        cells.append(cell)

    def check_cell(names: list[str]) -> None:
        code(f"check({', '.join(repr(n) for n in [lab.name, *names])})")
        for demo in [d for d in demos if d.after in names]:
            demos.remove(demo)
            demo_cell(demo)

    def demo_cell(demo: DemoCell) -> None:
        if demo.kind == "markdown":
            markdown([demo.source])
        else:
            code(demo.source)

    title, chunks = _title(chunks, lab)
    markdown([title, "", PREFACE.format(student_file=lab.student_file, lab=lab.name)])
    code("# Sizes of the demos' training runs: True makes every run short (a quick pass, worse results).\n"
         "QUICK = False", tags=("parameters",))
    code(_setup(lab))
    pending: list[str] = []
    for chunk in chunks:
        if chunk.kind == "heading" and pending:
            markdown(pending)
            pending = []
        pending += chunk.lines
        if chunk.checks:
            markdown(pending)
            pending = []
            check_cell(chunk.checks)
    markdown(pending)
    if unplaced:
        markdown(["## Other public tests"])
        check_cell(unplaced)
    for demo in demos:  # a demo whose function has no public test of its own
        demo_cell(demo)
    markdown(["## All public tests", "", f"The whole public suite, as `./dlgrade check {lab.name}` runs it."])
    code(f"check({lab.name!r})")

    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["dlgrade"] = {"lab": lab.name, "student_file": lab.student_file}
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{lab.name}-{number:03d}"  # fixed ids: the same lab gives a byte-identical file
    return nb


def notebook_text(lab: Lab) -> str:
    import nbformat

    return nbformat.writes(build_notebook(lab)) + "\n"


def write_notebook(lab: Lab, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notebook_text(lab))
    return path


def _setup(lab: Lab) -> str:
    torch = ("\nimport torch\n\n# Networks this small train fastest on one thread (and so does the grader).\n"
             "torch.set_num_threads(1)") if lab.framework == "torch" else ""
    return f"""import sys
from pathlib import Path

# The student bundle carries the checker in .dlgrade/; in the course repository it is installed.
if Path(".dlgrade").is_dir():
    sys.path.insert(0, str(Path(".dlgrade").resolve()))
%load_ext autoreload
%autoreload 2
%matplotlib inline
from autograder.notebooks import CELLS, check, when_implemented{torch}
import {lab.module}"""


def _title(chunks: list[_Chunk], lab: Lab) -> tuple[str, list[_Chunk]]:
    if chunks and chunks[0].kind == "heading" and chunks[0].lines[0].startswith("# "):
        return chunks[0].lines[0], chunks[1:]
    return f"# {lab.title}", chunks


def _chunks(text: str) -> list[_Chunk]:
    """Headings, top-level list items, tables and the text between them; code fences stay whole."""
    chunks: list[_Chunk] = []
    fenced = False
    for line in text.splitlines():
        if fenced or _FENCE.match(line):
            if _FENCE.match(line):
                fenced = not fenced
            kind = "fence"
        elif _HEADING.match(line):
            kind = "heading"
        elif _ITEM.match(line):
            kind = "item"
        elif line.startswith("|"):
            kind = "table"
        elif not line.strip() or line[:1].isspace():
            kind = "cont"  # blank or indented: belongs to whatever came before
        else:
            kind = "text"
        last = chunks[-1] if chunks else None
        if kind in ("cont", "fence") and last is not None and last.kind != "heading":
            last.lines.append(line)
        elif kind == "text" and last is not None and last.kind in ("text", "item") and last.lines[-1].strip():
            last.lines.append(line)  # a paragraph's next line, or an item's lazy continuation
        elif kind == "table" and last is not None and last.kind == "table":
            last.lines.append(line)
        else:
            chunks.append(_Chunk([line], "text" if kind in ("cont", "fence") else kind))
    return chunks


def _names(lines: list[str]) -> list[str]:
    return [m.group(0) for line in lines for span in _CODE_SPAN.findall(line)
            if (m := _IDENT.match(span.strip().removeprefix("*")))]


def _assign(chunks: list[_Chunk], groups: list[str]) -> list[str]:
    """Give each group the chunk that introduces it; return those no chunk names."""
    left = list(groups)
    for passage in ("lead", "lines"):
        for chunk in (c for c in chunks if c.kind != "heading"):
            for name in _names(getattr(chunk, passage)):
                if name in left:
                    left.remove(name)
                    chunk.checks.append(name)
    return left
