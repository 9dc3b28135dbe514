"""Student templates from references: each solution region becomes a NotImplementedError stub."""

from __future__ import annotations

import ast
import re
from pathlib import Path

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")


class TemplateError(ValueError):
    pass


def _enclosing_names(source: str) -> dict[int, str]:
    """Line number -> qualified name of the innermost function or method holding it."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                qual = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                        names[line] = qual
                visit(child, qual + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return names


def make_template(source: str, filename: str = "<reference>") -> str:
    names = _enclosing_names(source)
    out: list[str] = []
    region_start: int | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        begin = BEGIN.match(line)
        if begin:
            if region_start is not None:
                raise TemplateError(f"{filename}:{number}: BEGIN SOLUTION inside another region")
            region_start = number
            what = names.get(number)
            todo = f"TODO: implement {what}" if what else "TODO"
            out.append(f"{begin['indent']}raise NotImplementedError({todo!r})\n")
        elif END.match(line):
            if region_start is None:
                raise TemplateError(f"{filename}:{number}: END SOLUTION without BEGIN")
            region_start = None
        elif region_start is None:
            out.append(line)
    if region_start is not None:
        raise TemplateError(f"{filename}:{region_start}: BEGIN SOLUTION is never closed")
    template = "".join(out)
    ast.parse(template, filename)
    return template


def template_for(reference: Path) -> str:
    return make_template(reference.read_text(), str(reference))
