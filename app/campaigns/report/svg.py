"""Charts as static SVG for the PDF report: WeasyPrint runs no JavaScript, so the bars and
the line Chart.js draws on the page are drawn here instead. Plain Python; every text is
escaped, values are formatted by the caller (the locale's numbers and money)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 520
COLOURS = ("#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6",
           "#f97316", "#64748b", "#ec4899")
FONT = 'font-family="DejaVu Sans" font-size="10"'


def _short(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def bars(labels: Sequence[str], values: Sequence[float | None],
         shown: Callable[[float | None], str], title: str) -> Markup:
    """Horizontal bars, one per label, the formatted value at the end of each bar."""
    row, label_width, value_width = 22, 160, 90
    room = WIDTH - label_width - value_width
    top = max([v for v in values if v is not None] + [0])
    height = len(labels) * row + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 3 + i * row
        length = room * value / top if value and top > 0 else 0
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" {FONT}>'
                     f'{escape(_short(label))}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
                     f'height="{row - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" {FONT}>'
                     f'{escape(shown(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def line(labels: Sequence[str], values: Sequence[float], shown: Callable[[float], str],
         title: str) -> Markup:
    """A line over time (the cumulative reach): first, middle and last dates under the
    axis, zero and the highest value beside it."""
    height, left, right, top_margin, bottom = 200, 70, 14, 12, 28
    plot_w, plot_h = WIDTH - left - right, height - top_margin - bottom
    high = max(list(values) + [0])
    count = len(values)

    def x(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top_margin + plot_h - (plot_h * v / high if high > 0 else 0)

    base = top_margin + plot_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}">',
             f'<line x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}" '
             f'stroke="#98a2b3"/>',
             f'<line x1="{left}" y1="{top_margin}" x2="{left}" y2="{base}" stroke="#98a2b3"/>',
             f'<text x="{left - 6}" y="{base + 4}" text-anchor="end" {FONT}>'
             f'{escape(shown(0))}</text>',
             f'<text x="{left - 6}" y="{top_margin + 4}" text-anchor="end" {FONT}>'
             f'{escape(shown(high))}</text>']
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    if count > 1:
        area = f"{x(0):.1f},{base} {points} {x(count - 1):.1f},{base}"
        parts.append(f'<polygon points="{area}" fill="#4f46e5" fill-opacity="0.12"/>')
        parts.append(f'<polyline points="{points}" fill="none" stroke="#4f46e5" '
                     f'stroke-width="2"/>')
    for i, v in enumerate(values):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="#4f46e5"/>')
    for i in sorted({0, count // 2, count - 1} if count else set()):
        anchor = ("middle" if count == 1 or 0 < i < count - 1 else
                  "start" if i == 0 else "end")
        parts.append(f'<text x="{x(i):.1f}" y="{base + 16}" text-anchor="{anchor}" {FONT}>'
                     f'{escape(labels[i])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
