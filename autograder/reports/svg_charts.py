"""Charts as inline SVG, laid out so that every label fits.

Text is monospace, so a label's width is known before any browser draws it (``_width``): margins
are computed from the longest label instead of guessed, and the chart scales as one picture
(``viewBox``), labels with it, to whatever width the page gives it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

FONT = 12
TITLE_FONT = 14
_ADVANCE = 0.62  # a monospace glyph's width per unit of font size (DejaVu Sans Mono: 0.602), with room
_FAMILY = "DejaVu Sans Mono, Liberation Mono, monospace"
_LABEL_CHARS = 48
_PAD = 8
COLOURS = ("#c44e52", "#8172b2", "#999999", "#4c72b0")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]  # fractions of the axis' maximum, one per label
    texts: list[str]  # shown at each bar's end


def bar_chart(title: str, labels: list[str], series: list[Series], axis: str) -> str:
    """Horizontal bars, grouped per label; the axis runs from 0 to 100%."""
    labels = [_cut(label) for label in labels]
    bar, gap = 12, 10
    row = bar * len(series) + gap
    left = _width(max(labels, key=len, default="")) + 2 * _PAD
    right = _width(max((t for s in series for t in s.texts), key=len, default="")) + 2 * _PAD
    legend = _legend_width(series)
    plot = 480
    width = max(left + plot + right, legend + 2 * _PAD, _width(title, TITLE_FONT) + 2 * _PAD)
    plot = width - left - right
    top = 30 + (22 if len(series) > 1 else 0)
    height = top + row * len(labels) + 40
    parts = [_text(_PAD, 20, title, TITLE_FONT, weight="bold")]
    if len(series) > 1:
        x = _PAD
        for colour, s in zip(COLOURS, series, strict=False):
            parts.append(f'<rect x="{x}" y="{top - 20}" width="10" height="10" fill="{colour}"/>')
            parts.append(_text(x + 14, top - 11, s.name))
            x += 14 + _width(s.name) + 16
    for i, label in enumerate(labels):
        y = top + i * row
        parts.append(_text(left - _PAD, y + row / 2, label, anchor="end", baseline="middle"))
        for j, (colour, s) in enumerate(zip(COLOURS, series, strict=False)):
            length = plot * min(max(s.values[i], 0.0), 1.0)
            y_bar = y + gap / 2 + j * bar
            parts.append(f'<rect x="{left}" y="{y_bar:.1f}" width="{length:.1f}" height="{bar - 2}" '
                         f'fill="{colour}"><title>{html.escape(s.name)}: {html.escape(s.texts[i])}</title></rect>')
            parts.append(_text(left + length + 4, y_bar + bar / 2 - 1, s.texts[i], FONT - 2, baseline="middle"))
    bottom = top + row * len(labels)
    parts.append(_axis(left, plot, bottom, [(k / 4, f"{25 * k}%") for k in range(5)]))
    parts.append(_text(left + plot / 2, bottom + 34, axis, anchor="middle"))
    return _svg(title, width, height, parts)


def histogram(title: str, values: list[float], top: float, axis: str, bins: int) -> str:
    """How many values fall in each of ``bins`` equal bins from 0 to ``top``."""
    top = top or max(values, default=0) or 1
    counts = [0] * bins
    for v in values:
        counts[min(max(int(v / top * bins), 0), bins - 1)] += 1
    highest = max(counts, default=0) or 1
    left = _width(str(highest)) + 2 * _PAD
    width = max(720, _width(title, TITLE_FONT) + 2 * _PAD)
    plot, plot_top, plot_height = width - left - 4 * _PAD, 40, 180
    bottom = plot_top + plot_height
    parts = [_text(_PAD, 20, title, TITLE_FONT, weight="bold")]
    step = plot / bins
    for i, n in enumerate(counts):
        h = plot_height * n / highest
        parts.append(f'<rect x="{left + i * step + 1:.1f}" y="{bottom - h:.1f}" width="{step - 2:.1f}" '
                     f'height="{h:.1f}" fill="#4c72b0"><title>{n}</title></rect>')
    for n in sorted({0, highest // 2, highest}):
        y = bottom - plot_height * n / highest
        parts.append(_text(left - _PAD, y, str(n), anchor="end", baseline="middle"))
    parts.append(_axis(left, plot, bottom, [(k / 4, f"{top * k / 4:g}") for k in range(5)]))
    parts.append(_text(left + plot / 2, bottom + 34, axis, anchor="middle"))
    return _svg(title, width, bottom + 44, parts)


def _axis(left: float, plot: float, y: float, ticks: list[tuple[float, str]]) -> str:
    parts = [f'<line x1="{left}" y1="{y}" x2="{left + plot}" y2="{y}" stroke="#444"/>']
    for at, text in ticks:
        x = left + plot * at
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#444"/>')
        parts.append(_text(x, y + 16, text, FONT - 1, anchor="middle"))
    return "".join(parts)


def _legend_width(series: list[Series]) -> float:
    return sum(14 + _width(s.name) + 16 for s in series) if len(series) > 1 else 0


def _svg(title: str, width: float, height: float, parts: list[str]) -> str:
    return (f'<svg class="chart" role="img" aria-label="{html.escape(title)}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" style="max-width:{width:.0f}px" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="{_FAMILY}" font-size="{FONT}">{"".join(parts)}</svg>')


def _text(x: float, y: float, text: str, size: int = FONT, *, anchor: str = "start", baseline: str = "auto",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}" font-weight="{weight}">{html.escape(text)}</text>')


def _width(text: str, size: int = FONT) -> float:
    return len(text) * size * _ADVANCE


def _cut(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[:_LABEL_CHARS - 1] + "…"
