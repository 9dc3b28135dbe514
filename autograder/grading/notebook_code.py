"""A notebook handed in as the lab's module: its definitions, never its top-level statements.

Students train networks and draw plots at the top level of their notebooks; grading must not
rerun any of that. What is kept, in cell order (later definitions win, as when the cells ran):
imports, ``def`` and ``class`` statements (with their decorators), and assignments whose value
calls nothing (constants such as ``EPS = 1e-8`` or ``DTYPE = np.float64``), plus ``try`` blocks
made only of such statements (``try: import x / except ImportError: ...``); imports of the grader
itself (the check cells' ``from autograder.notebooks import check``) are left out. IPython syntax
(``%magic``, ``!shell``) is translated first and then dropped like any other expression.

A notebook handed in for grading is read in a child process with a time limit
(``notebook_source_bounded``): a crafted notebook can make IPython's translation take quadratic
time, or nest expressions until the parser gives up, and neither may stall the grader.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024  # outputs (plots) make notebooks far larger than their code


class NotebookError(Exception):
    """The file cannot be read as a Jupyter notebook; the message says why."""


def notebook_source(path: Path) -> str:
    """The module made of the definitions in the notebook at ``path``."""
    path = Path(path)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    return source_from_cells(_code_cells(path.read_bytes(), path.name))


_CHILD_MEMORY = 4 * 2**30  # a 64 MB notebook parses into a few hundred MB of Python objects


def notebook_source_bounded(data: bytes, name: str, seconds: float) -> str:
    """The module made of the definitions in the notebook ``data`` (called ``name`` in messages),
    worked out in a child process that is killed after ``seconds``."""
    if seconds <= 0:
        raise NotebookError(f"no time was left to read {name}")
    # The child imports this module as the parent did, wherever that was found.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        done = subprocess.run([sys.executable, "-m", __name__, name], input=data, capture_output=True,
                              env=env, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise NotebookError(f"reading the code of {name} took longer than {seconds:.0f} s; "
                            "hand in its code as a .py file") from None
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"status {done.returncode}"]
        raise NotebookError(f"{name} could not be read ({tail[0][:300]})") from None
    if "error" in reply:
        raise NotebookError(reply["error"])
    return reply["source"]


def _child(name: str) -> None:
    """``notebook_source_bounded``'s child: the notebook on stdin, a JSON reply on stdout."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY, _CHILD_MEMORY))
    except (ImportError, ValueError, OSError):  # no rlimits here (Windows), or a lower hard limit
        pass
    try:
        reply = {"source": source_from_cells(_code_cells(sys.stdin.buffer.read(), name))}
    except NotebookError as exc:
        reply = {"error": str(exc)}
    except (RecursionError, MemoryError) as exc:
        reply = {"error": f"{name} is too deeply nested or too large to read ({type(exc).__name__})"}
    sys.stdout.write(json.dumps(reply))


def source_from_cells(cells: Iterable[str], label: str = "code cell") -> str:
    """The definitions of ``cells`` (code cell sources, in order) as one module's source."""
    parts = ["# Definitions taken from a notebook; its other top-level statements were left out.\n"]
    for number, cell in enumerate(cells, start=1):
        code = _as_python(cell)
        if not code.strip():
            continue
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            raise NotebookError(f"{label} {number} is not valid Python (line {exc.lineno}: {exc.msg}); "
                                "fix or delete that cell") from None
        lines = code.splitlines()
        kept = [_text(lines, tree.body, i) for i, node in enumerate(tree.body) if _is_definition(node)]
        if kept:
            parts.append(f"\n# --- {label} {number} ---\n" + "\n\n".join(kept) + "\n")
    return "".join(parts)


def _text(lines: list[str], body: list[ast.stmt], index: int) -> str:
    """The statement's own lines (comments kept), or its unparsed form when it shares a line."""
    node = body[index]
    # Decorators included: a def's own position is its ``def`` line, not its first ``@``.
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    shares = ((index > 0 and body[index - 1].end_lineno == start)
              or (index + 1 < len(body) and body[index + 1].lineno == node.end_lineno))
    return ast.unparse(node) if shares else "\n".join(lines[start - 1:node.end_lineno])


def _code_cells(data: bytes, name: str) -> list[str]:
    try:
        import nbformat
    except ImportError:  # the grading image lacks the notebooks extra
        raise NotebookError("grading notebooks needs nbformat (pip install nbformat); "
                            "hand in the .py file instead") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError(f"{name} is not UTF-8 text, so it is not a Jupyter notebook") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                            "was it saved from Jupyter?") from None
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        raise NotebookError(f"{name} is JSON but not a Jupyter notebook (no 'cells' and 'nbformat')")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several unrelated types for malformed notebooks
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{name} is not a valid Jupyter notebook ({first[:300]})") from None
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _as_python(cell: str) -> str:
    """IPython syntax as plain Python (magics become calls, which are then left out)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        if cell.lstrip().startswith("%%"):
            return ""
        return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.splitlines())
    try:
        return TransformerManager().transform_cell(cell)
    except Exception:  # IPython could not parse it either: let ast name the error
        return cell


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom):
        # The notebook's check cells import the grader; the graded module must not (its worker cannot).
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        return not any(name.partition(".")[0] == "autograder" for name in names)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return True
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name | ast.Tuple) for t in node.targets) and _calls_nothing(node.value)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and (node.value is None or _calls_nothing(node.value))
    if isinstance(node, ast.Try):
        body = node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        return all(_is_definition(s) or isinstance(s, ast.Pass) for s in body)
    return False


_COMPUTES = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.ListComp, ast.SetComp,
             ast.DictComp, ast.GeneratorExp)


def _calls_nothing(expr: ast.AST) -> bool:
    # A lambda's body runs only when it is called: only what is evaluated now must not compute.
    if isinstance(expr, _COMPUTES):
        return False
    if isinstance(expr, ast.Lambda):
        return all(_calls_nothing(d) for d in [*expr.args.defaults, *expr.args.kw_defaults] if d is not None)
    return all(_calls_nothing(child) for child in ast.iter_child_nodes(expr))


if __name__ == "__main__":
    _child(sys.argv[1])
