"""``dlgrade report DIR``: one HTML page of class analytics over batch results, and a page per student.

DIR is a batch output folder (``dlgrade batch --out DIR``) or a folder of them, one per lab. Per lab
the page has the score distribution; per function, how many students fail its public and its hidden
tests and how many have not attempted it, with the most common failure messages; the misconceptions
that the mutant match names; the tests the class fails most; pairs of submissions that look copied
(a flag for a person, never a score change); and every student's score, linked to a static page of
their own feedback (``student_page.py``). Charts are inline SVG (``svg_charts.py``), so the page is
one self-contained file next to its ``students/`` folder.
"""

from __future__ import annotations

import html
import statistics
from pathlib import Path
from urllib.parse import quote

from autograder.files import write_atomic
from autograder.grading.calibrated import figures
from autograder.labs import LabError, find_lab
from autograder.reports.class_stats import LabStats, load_batches
from autograder.reports.similarity import SimilarPair, similar_pairs, submission_sources
from autograder.reports.student_page import render_student
from autograder.reports.svg_charts import Series, bar_chart, histogram

REPORT = "report.html"
STUDENTS = "students"
_WORST_SHOWN = 30
_MESSAGES_SHOWN = 3


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Write the page (``folder/report.html`` unless ``out`` says otherwise) and the students' pages
    beside it; return the page's path."""
    batches = load_batches(folder)
    if not batches:
        raise FileNotFoundError(f"no batch results under {folder} (run `dlgrade batch LAB DIR --out {folder}`)")
    out = Path(out) if out else Path(folder) / REPORT
    for stats in batches:
        for result in stats.students.values():
            write_atomic(out.parent / _student_link(stats, result.student),
                         render_student(stats.lab, result, back="../../" + quote(out.name)))
    similar = {stats.lab: find_similar(stats) for stats in batches}
    write_atomic(out, render_html(batches, similar))
    return out


def find_similar(stats: LabStats) -> list[SimilarPair] | str:
    """The batch's similar pairs, or why they could not be looked for."""
    recorded = stats.manifest.get("submissions")
    if not recorded or not Path(recorded).is_dir():
        return f"the submissions folder ({recorded or 'not recorded in the batch manifest'}) is not there"
    try:
        lab = find_lab(stats.lab)
        template = lab.template.read_text(encoding="utf-8") if lab.template.exists() else ""
        return similar_pairs(submission_sources(lab, Path(recorded)), template)
    except ImportError:
        return "copydetect is not installed: pip install 'dlgrade[report]'"
    except (LabError, OSError) as exc:
        return f"could not compare the submissions: {exc}"


def render_html(batches: list[LabStats], similar: dict[str, list[SimilarPair] | str] | None = None) -> str:
    similar = similar or {}
    sections = []
    if sum(bool(b.students) for b in batches) > 1:
        sections.append('<section id="all-labs"><h2>All labs</h2>' + _summary_table(batches)
                        + _comparison_chart(batches) + "</section>")
    for stats in batches:
        sections.append(_lab_section(stats, similar.get(stats.lab, "not looked for")))
    body = "\n".join(sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dlgrade class report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
svg.chart {{ display: block; margin: 1em 0; }}
.muted {{ color: #777; }}
.pair {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }}
.pair pre {{ overflow: auto; max-height: 40em; font-size: 0.8em; border: 1px solid #ccc; padding: 0.5em; margin: 0; }}
mark {{ background: #ffe08a; }}
</style></head>
<body>
<h1>dlgrade class report</h1>
{body}
</body></html>
"""


def _lab_section(stats: LabStats, similar: list[SimilarPair] | str) -> str:
    name = html.escape(stats.lab)
    parts = [f'<section id="lab-{name}"><h2>{name}</h2>', _summary_table([stats])]
    if stats.ungraded:
        parts.append(f'<p class="muted">Not graded ({len(stats.ungraded)}): '
                     f"{html.escape(', '.join(stats.ungraded))}</p>")
    if stats.unimportable:
        parts.append(f'<p class="muted">Could not be imported, left out of the failure rates '
                     f"({len(stats.unimportable)}): {html.escape(', '.join(stats.unimportable))}</p>")
    if stats.students:
        parts.append(histogram(f"{stats.lab}: score distribution ({len(stats.students)} students)",
                               list(stats.scores.values()), stats.max_score, "score",
                               bins=min(20, max(5, len(stats.students)))))
    parts += [_functions(stats), _misconceptions(stats), _worst_tests(stats), _calibration(stats), _similar(similar),
              _students(stats), "</section>"]
    return "\n".join(p for p in parts if p)


def _functions(stats: LabStats) -> str:
    functions = stats.worst_functions()
    if not functions:
        return ""
    everyone = len(stats.students) - len(stats.unimportable)

    def series(name: str, counts: list[int], totals: list[int]) -> Series:
        return Series(name, [c / t if t else 0.0 for c, t in zip(counts, totals, strict=True)],
                      [f"{c / t:.0%} ({c}/{t})" if t else "no tests" for c, t in zip(counts, totals, strict=True)])

    shown = [v for v in ("public", "hidden") if any(v in f.tested for f in functions)]
    chart_series = [series(f"{v} tests failed", [len(f.failed[v]) for f in functions],
                           [len(f.attempted) if v in f.tested else 0 for f in functions]) for v in shown]
    chart_series.append(series("not attempted", [len(f.not_attempted) for f in functions], [everyone] * len(functions)))
    chart = bar_chart(f"{stats.lab}: which functions the class struggles with", [f.name for f in functions],
                      chart_series, "students (failing: of those who attempted it)")
    rows = []
    for f in functions:
        rates = "".join(f'<td class="num">{f.failure_rate(v):.0%} ({len(f.failed[v])}/{len(f.attempted)})</td>'
                        if v in f.tested else "<td></td>" for v in shown)
        messages = "<br>".join(f"{n} &times; <code>{html.escape(m)}</code>"
                               for m, n in f.messages.most_common(_MESSAGES_SHOWN))
        rows.append(f"<tr><td>{html.escape(f.name)}</td>{rates}<td class=\"num\">{len(f.not_attempted)}</td>"
                    f"<td>{messages}</td></tr>")
    head = "".join(f"<th>{v} tests failed</th>" for v in shown)
    return (f'<div class="functions"><h3>Functions</h3>{chart}<table><tr><th>function</th>{head}'
            f"<th>not attempted</th><th>most common failure messages</th></tr>{''.join(rows)}</table></div>")


def _misconceptions(stats: LabStats) -> str:
    if not stats.misconceptions:
        return ""
    items = "".join(f"<li>{len(students)} student{'s' if len(students) != 1 else ''}: {html.escape(description)}</li>"
                    for description, students in sorted(stats.misconceptions.items(),
                                                        key=lambda item: (-len(item[1]), item[0])))
    return f'<div class="misconceptions"><h3>Misconceptions</h3><ul>{items}</ul></div>'


def _worst_tests(stats: LabStats) -> str:
    worst = [t for t in stats.worst_tests() if t.attempts][:_WORST_SHOWN]
    if not worst:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(t.name)}</td><td class=\"num\">{t.max_score:g}</td>"
        f"<td class=\"num\">{t.failure_rate:.0%}</td><td class=\"num\">{t.failures}/{t.attempts}</td>"
        f"<td class=\"num\">{t.not_attempted}</td>"
        f"<td>{html.escape(', '.join(f'{k} {n}' for k, n in t.kinds.most_common()))}</td></tr>"
        for t in worst)
    return ("<h3>Tests the class fails most</h3><table><tr><th>test</th><th>points</th><th>failed</th>"
            f"<th>of those who attempted it</th><th>not attempted</th><th>how</th></tr>{rows}</table>")


def _calibration(stats: LabStats) -> str:
    """The training tests' calibrated error rates (``dlgrade calibrate``): how far their verdicts can be trusted."""
    try:
        found = figures(find_lab(stats.lab))
    except LabError:
        return ""
    if not found:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(f.nodeid)}</td><td class=\"num\">{f.threshold:g}</td><td class=\"num\">{f.seeds}</td>"
        f"<td class=\"num\">{f.false_fail:.2g}</td><td class=\"num\">{f.false_pass:.2g}</td>"
        f"<td>{html.escape(f.ranges)}</td><td>{'met' if f.ok else 'NOT met'}</td></tr>" for f in found)
    return ("<h3>Training tests, as calibrated</h3><table><tr><th>test</th><th>threshold</th><th>seeds</th>"
            "<th>a correct solution fails, at most</th><th>a targeted bug passes, at most</th><th>measured</th>"
            f"<th>bounds</th></tr>{rows}</table>")


def _similar(similar: list[SimilarPair] | str) -> str:
    head = ('<div class="similar"><h3>Similar submissions</h3><p class="muted">Pairs whose own code (the '
            "template's left out) is unusually alike: for a person to look at; no score changes.</p>")
    if isinstance(similar, str):
        return f'{head}<p class="muted">Not compared: {html.escape(similar)}</p></div>'
    if not similar:
        return f"{head}<p>No pair stands out.</p></div>"
    pairs = "".join(
        f"<details open><summary>{html.escape(p.first)} and {html.escape(p.second)}: {p.similarity:.0%} alike"
        f'</summary><div class="pair">'
        + "".join(f"<div><b>{html.escape(who)}</b><pre>{_marked(code, spans)}</pre></div>"
                  for who, code, spans in zip((p.first, p.second), p.code, p.copied, strict=True))
        + "</div></details>"
        for p in similar)
    return f"{head}{pairs}</div>"


def _marked(code: str, spans: list[tuple[int, int]]) -> str:
    """``code`` as HTML with the parts found in the other submission marked."""
    out, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        out += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


def _students(stats: LabStats) -> str:
    if not stats.students:
        return ""
    rows = "".join(f'<tr><td><a href="{_student_link(stats, s.student, url=True)}">{html.escape(s.student)}</a></td>'
                   f'<td class="num">{s.score:g} / {s.max_score:g}</td></tr>'
                   for s in sorted(stats.students.values(), key=lambda s: s.student))
    return f'<div class="students"><h3>Students</h3><table><tr><th>student</th><th>score</th></tr>{rows}</table></div>'


def _student_link(stats: LabStats, student: str, url: bool = False) -> str:
    parts = (STUDENTS, stats.lab, f"{student}.html")
    return "/".join(quote(p) for p in parts) if url else str(Path(*parts))


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


def _comparison_chart(batches: list[LabStats]) -> str:
    shown = [b for b in batches if b.students]
    means = [statistics.mean(b.scores.values()) / (b.max_score or 1) for b in shown]
    full = [sum(v >= b.max_score for v in b.scores.values()) / len(b.scores) for b in shown]
    return bar_chart("scores per lab", [b.lab for b in shown],
                     [Series("mean score", means, [f"{m:.0%}" for m in means]),
                      Series("full marks", full, [f"{f:.0%}" for f in full])], "% of points / of students")
