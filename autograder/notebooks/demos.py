"""A lab's notebook demos (``assignments/<lab>/demo.py``), read from Jupytext's "percent" format.

Each cell starts with a marker line: ``# %%`` for code, ``# %% [markdown]`` for markdown, whose
lines are ``# `` comments. A demo's first cell names the graded function whose check cell it follows
(``# %% [markdown] after="FullyConnectedNet"``); the cells after it go there too, up to the next
``after``. What precedes the first marker stands for the notebook's setup cells, so that linters
know the names they define (the lab module, ``QUICK``, ``when_implemented``); it is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_MARKER = "# %%"
_OPTIONS = re.compile(r'(?:\s+\[(?P<kind>[^\]]*)\])?(?P<metadata>(?:\s+\w+="[^"]*")*)\s*')
_METADATA = re.compile(r'(\w+)="([^"]*)"')


class DemoError(ValueError):
    """A demo.py that is not in the percent format as read here."""


@dataclass(frozen=True)
class DemoCell:
    kind: str  # "markdown" or "code"
    source: str
    after: str  # the graded function (or class) whose check cell the demo follows


def read_demos(path: Path) -> list[DemoCell]:
    """The cells of the demo file ``path`` in order; none when there is no such file."""
    path = Path(path)
    return parse_demos(path.read_text(), str(path)) if path.exists() else []


def parse_demos(text: str, name: str = "demo.py") -> list[DemoCell]:
    """The cells of a demo file's ``text``; ``name`` prefixes the errors' line numbers."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(_MARKER)]
    cells: list[DemoCell] = []
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        kind, after = _marker(name, start + 1, lines[start])
        after = after or (cells[-1].after if cells else None)
        if after is None:
            raise DemoError(f'{name}:{start + 1}: the first cell names the graded function it follows: '
                            f'{_MARKER} [markdown] after="..."')
        cells.append(_cell(name, start + 1, kind, after, lines[start + 1:end]))
    return cells


def _marker(name: str, number: int, line: str) -> tuple[str, str | None]:
    options = _OPTIONS.fullmatch(line, len(_MARKER))
    if options is None:
        raise DemoError(f'{name}:{number}: a cell marker is `{_MARKER}` or `{_MARKER} [markdown]`, then key="value" '
                        f"options; got {line!r}")
    kind = options["kind"]
    if kind not in (None, "markdown"):
        raise DemoError(f"{name}:{number}: unknown cell type [{kind}]; a cell is code or [markdown]")
    metadata = dict(_METADATA.findall(options["metadata"]))
    unknown = sorted(set(metadata) - {"after"})
    if unknown:
        raise DemoError(f"{name}:{number}: unknown cell option {', '.join(unknown)}; the only one is after")
    return kind or "code", metadata.get("after")


def _cell(name: str, number: int, kind: str, after: str, body: list[str]) -> DemoCell:
    """The cell whose marker is on line ``number`` and whose lines follow it."""
    numbered = [(number + 1 + i, line) for i, line in enumerate(body)]
    while numbered and not numbered[-1][1].strip():  # the blank lines that separate cells
        numbered.pop()
    while numbered and not numbered[0][1].strip():
        numbered.pop(0)
    if not numbered:
        raise DemoError(f"{name}:{number}: empty cell")
    if kind == "code":
        return DemoCell(kind, "\n".join(line for _, line in numbered), after)
    for at, line in numbered:
        if line != "#" and not line.startswith("# "):
            raise DemoError(f"{name}:{at}: a markdown cell's lines are '# ' comments; got {line!r}")
    return DemoCell(kind, "\n".join(line[2:] for _, line in numbered), after)
