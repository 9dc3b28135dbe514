"""``dlgrade report DIR``: one HTML page of class analytics over batch results.

DIR is a batch output folder (``dlgrade batch --out DIR``) or a folder of them, one per lab. The
page has, per lab, the score distribution, the tests sorted by how often the class fails them
(with the most common kind of failure) and a summary table; across labs, a comparison of scores.
Plots are PNGs drawn with matplotlib's object API (no pyplot state, no display needed) and
embedded in the page, so the page is one self-contained file.
"""

from __future__ import annotations

import base64
import html
import io
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.jobs import MANIFEST, RESULTS, RETRY_KEY
from autograder.failures import Kind
from autograder.files import write_atomic

REPORT = "report.html"
_WORST_SHOWN = 30


@dataclass
class TestStats:
    name: str
    max_score: float
    attempts: int = 0
    failures: int = 0
    kinds: Counter = field(default_factory=Counter)

    @property
    def failure_rate(self) -> float:
        return self.failures / self.attempts if self.attempts else 0.0


@dataclass
class LabStats:
    lab: str
    folder: Path
    scores: dict[str, float] = field(default_factory=dict)  # student -> total
    ungraded: list[str] = field(default_factory=list)  # grading broke down or could not finish
    unimportable: list[str] = field(default_factory=list)  # scored, but no test could run their code
    tests: dict[str, TestStats] = field(default_factory=dict)
    max_score: float = 0.0

    def worst_tests(self) -> list[TestStats]:
        return sorted(self.tests.values(), key=lambda t: (-t.failure_rate, -t.max_score, t.name))


def load_batches(folder: Path) -> list[LabStats]:
    """Every batch under ``folder`` (itself, or its subfolders up to three levels down)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    roots = [folder] if (folder / MANIFEST).exists() else sorted(
        {p.parent for depth in ("*/", "*/*/", "*/*/*/") for p in folder.glob(depth + MANIFEST)})
    if not roots and any(folder.glob(f"*/{RESULTS}")):
        roots = [folder]  # results without a manifest: copied from somewhere else, still worth a look
    return [_load(root) for root in roots]


def _load(root: Path) -> LabStats:
    try:
        lab = json.loads((root / MANIFEST).read_text()).get("lab", root.name)
    except (OSError, ValueError):
        lab = root.name
    stats = LabStats(lab=lab, folder=root)
    for path in sorted(root.glob(f"*/{RESULTS}")):
        student = path.parent.name
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            stats.ungraded.append(student)
            continue
        tests = data.get("tests") or []
        if not tests or RETRY_KEY in (data.get("extra_data") or {}):
            stats.ungraded.append(student)
            continue
        stats.scores[student] = float(data.get("score", 0))
        stats.max_score = max(stats.max_score, sum(float(t.get("max_score", 0)) for t in tests))
        kinds = [_kind(t) for t in tests]
        if kinds and all(k == Kind.IMPORT for k in kinds):
            # Nothing ran: counting it against every test would hide what the class gets wrong.
            stats.unimportable.append(student)
            continue
        for t, kind in zip(tests, kinds, strict=True):
            name = t.get("name", "?")
            entry = stats.tests.setdefault(name, TestStats(name, float(t.get("max_score", 0))))
            entry.attempts += 1
            if kind:
                entry.failures += 1
                entry.kinds[kind] += 1
    return stats


def _kind(test: dict) -> str:
    """How a test of results.json failed ("" when it passed)."""
    if test.get("status") != "failed" and float(test.get("score", 0)) >= float(test.get("max_score", 0)):
        return ""
    return next((k for k in test.get("tags", []) if Kind.named(k)), "fail")


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Write the page (``folder/report.html`` unless ``out`` says otherwise) and return its path."""
    batches = load_batches(folder)
    if not batches:
        raise FileNotFoundError(f"no batch results under {folder} (run `dlgrade batch LAB DIR --out {folder}`)")
    out = Path(out) if out else Path(folder) / REPORT
    write_atomic(out, render_html(batches))
    return out


def render_html(batches: list[LabStats]) -> str:
    sections = []
    if sum(bool(b.scores) for b in batches) > 1:
        sections.append("<h2>All labs</h2>" + _summary_table(batches) + _img(_comparison_plot(batches),
                                                                             "scores of every lab"))
    for stats in batches:
        sections.append(_lab_section(stats))
    body = "\n".join(sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dlgrade class report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
img {{ max-width: 100%; display: block; margin: 1em 0; }}
.muted {{ color: #777; }}
</style></head>
<body>
<h1>dlgrade class report</h1>
{body}
</body></html>
"""


def _lab_section(stats: LabStats) -> str:
    name = html.escape(stats.lab)
    parts = [f"<section id=\"lab-{name}\"><h2>{name}</h2>", _summary_table([stats])]
    if stats.ungraded:
        parts.append(f"<p class=\"muted\">Not graded ({len(stats.ungraded)}): "
                     f"{html.escape(', '.join(stats.ungraded))}</p>")
    if stats.unimportable:
        parts.append(f"<p class=\"muted\">Could not be imported, left out of the failure rates "
                     f"({len(stats.unimportable)}): {html.escape(', '.join(stats.unimportable))}</p>")
    if stats.scores:
        parts.append(_img(_distribution_plot(stats), f"score distribution of {stats.lab}"))
    worst = [t for t in stats.worst_tests() if t.attempts][:_WORST_SHOWN]
    if worst:
        parts.append(_img(_failure_plot(stats.lab, worst), f"failure rate per test of {stats.lab}"))
        rows = "".join(
            f"<tr><td>{html.escape(t.name)}</td><td class=\"num\">{t.max_score:g}</td>"
            f"<td class=\"num\">{t.failure_rate:.0%}</td><td class=\"num\">{t.failures}/{t.attempts}</td>"
            f"<td>{html.escape(', '.join(f'{k} {n}' for k, n in t.kinds.most_common()))}</td></tr>"
            for t in worst)
        parts.append("<h3>Tests the class fails most</h3><table><tr><th>test</th><th>points</th>"
                     f"<th>failed</th><th>students</th><th>how</th></tr>{rows}</table>")
    parts.append("</section>")
    return "\n".join(parts)


def _summary_table(batches: list[LabStats]) -> str:
    rows = []
    for s in batches:
        values = list(s.scores.values())
        cells = [html.escape(s.lab), str(len(values) + len(s.ungraded)), str(len(s.ungraded))]
        if values:
            cells += [f"{statistics.mean(values):.1f}", f"{statistics.median(values):g}", f"{min(values):g}",
                      f"{max(values):g}", f"{s.max_score:g}",
                      f"{sum(v >= s.max_score for v in values) / len(values):.0%}"]
        else:
            cells += ["", "", "", "", f"{s.max_score:g}", ""]
        rows.append("<tr>" + "".join(f"<td class=\"num\">{c}</td>" if i else f"<td>{c}</td>"
                                     for i, c in enumerate(cells)) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("lab", "students", "not graded", "mean", "median", "min", "max",
                                              "points", "full marks"))
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _img(png: bytes, alt: str) -> str:
    return f"<img alt=\"{html.escape(alt)}\" src=\"data:image/png;base64,{base64.b64encode(png).decode()}\">"


def _distribution_plot(stats: LabStats) -> bytes:
    fig = _figure(7, 3.2)
    ax = fig.subplots()
    top = stats.max_score or max(stats.scores.values()) or 1
    ax.hist(list(stats.scores.values()), bins=min(20, max(5, len(stats.scores))), range=(0, top),
            color="#4c72b0", edgecolor="white")
    ax.set(xlabel="score", ylabel="students", title=f"{stats.lab}: score distribution ({len(stats.scores)} students)")
    return _png(fig)


def _failure_plot(lab: str, worst: list[TestStats]) -> bytes:
    fig = _figure(8, max(2.2, 0.8 + 0.28 * len(worst)))
    ax = fig.subplots()
    names = [t.name if len(t.name) <= 60 else t.name[:57] + "..." for t in worst]
    ax.barh(range(len(worst)), [100 * t.failure_rate for t in worst], color="#c44e52")
    ax.set_yticks(range(len(worst)), names, fontsize=8)
    ax.invert_yaxis()  # worst first, at the top
    ax.set(xlim=(0, 100), xlabel="students failing (%)", title=f"{lab}: tests the class fails most")
    return _png(fig)


def _comparison_plot(batches: list[LabStats]) -> bytes:
    fig = _figure(7, 3.2)
    ax = fig.subplots()
    shown = [b for b in batches if b.scores]
    ax.boxplot([[100 * v / (b.max_score or 1) for v in b.scores.values()] for b in shown])
    ax.set_xticks(range(1, len(shown) + 1), [b.lab for b in shown], rotation=20)
    ax.set(ylabel="score (% of points)", ylim=(-5, 105), title="scores per lab")
    return _png(fig)
