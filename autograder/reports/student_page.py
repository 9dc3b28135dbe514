"""One student's feedback as a static HTML page: what ``dlgrade check`` shows, from their results.json.

Per test its name, points and message, grouped by function. A test whose results.json visibility is
not "visible" (a hidden test before the results are published) shows only its function and how it
went: its name and message could tell what the hidden inputs are.
"""

from __future__ import annotations

import html

from autograder.reports.class_stats import StudentResult, function_of, kind

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.9em; }
.passed { color: #2a7a2a; } .failed { color: #b22; } .muted { color: #777; }
"""


def render_student(lab: str, result: StudentResult, back: str) -> str:
    data = result.data
    rows = []
    for function, tests in _by_function(data.get("tests") or []).items():
        rows.append(f'<tr><th colspan="4">{html.escape(function)}</th></tr>')
        rows += [_row(t) for t in tests]
    notes = html.escape(str(data.get("output", "")))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(lab)}: {html.escape(result.student)}</title>
<style>{STYLE}</style></head>
<body>
<p><a href="{html.escape(back)}">class report</a></p>
<h1>{html.escape(lab)}: {html.escape(result.student)}</h1>
<p><b>{result.score:g} / {result.max_score:g}</b></p>
<pre class="muted">{notes}</pre>
<table><tr><th>result</th><th>points</th><th>test</th><th>message</th></tr>
{"".join(rows)}
</table>
</body></html>
"""


def _by_function(tests: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for t in tests:
        groups.setdefault(function_of(t), []).append(t)
    return groups


def _row(test: dict) -> str:
    how = kind(test)
    status = f'<td class="{"failed" if how else "passed"}">{html.escape(how or "passed")}</td>'
    if test.get("visibility", "visible") != "visible":
        return f'<tr class="restricted">{status}<td></td><td class="muted">hidden test</td><td></td></tr>'
    points = f'{float(test.get("score", 0)):g}/{float(test.get("max_score", 0)):g}'
    return (f'<tr>{status}<td class="num">{points}</td><td>{html.escape(str(test.get("name", "")))}</td>'
            f'<td><pre>{html.escape(str(test.get("output", "")))}</pre></td></tr>')
