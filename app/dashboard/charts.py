"""Charts as SVG built on the server: no charting JavaScript, and they print.

Every chart is readable in grey on paper: bars are grey, the parts of a stacked bar are told
apart by patterns (solid, hatching, dots) as well as by grey level. Each chart has a <title>
(read by screen readers and shown as a tooltip), each bar or part its own <title> with its
number, and the page puts the same numbers in a table beside the chart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_ID = re.compile(r"[a-z][a-z0-9-]*")

FONT = "system-ui, sans-serif"
BAR_FILL = "#555"
TEXT_FILL = "#111"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None  # the list that makes up the number


# Patterns for the parts of a stacked bar, in order: (grey fill, pattern drawing or None).
# Each can be told from its neighbours in black and white.
PATTERNS = (
    ("#222", None),  # solid dark
    ("#fff", '<path d="M0,6 L6,0" stroke="#222" stroke-width="1.6"/>'),  # diagonal hatching
    ("#ccc", None),  # solid light grey
    ("#fff", '<path d="M0,0 L6,6 M0,6 L6,0" stroke="#000" stroke-width="1.2"/>'),  # cross-hatching
    ("#fff", '<circle cx="3" cy="3" r="1.2" fill="#222"/>'),  # dots
    ("#888", None),  # solid mid grey
    ("#fff", '<path d="M0,3 L6,3" stroke="#222" stroke-width="1.2"/>'),  # horizontal lines
)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: int) -> str:
    """293.275: the Vietnamese grouping, without Babel (charts are built outside templates too)."""
    return f"{value:,}".replace(",", ".")


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, width: int = 440, label_width: int = 185) -> Markup:
    """A horizontal bar chart: one grey bar per item, its number at the end of the bar."""
    row, gap, top = 20, 6, 4
    height = top + len(bars) * (row + gap) + 2
    plot = width - label_width - 48  # room for the number after the longest bar
    biggest = max((b.value for b in bars), default=0) or 1
    parts = [_open(chart_id, title, width, height, linked=any(b.href for b in bars))]
    for index, bar in enumerate(bars):
        y = top + index * (row + gap)
        length = round(plot * bar.value / biggest, 1) if bar.value else 0
        text = f"{bar.label}: {_number(bar.value)}"
        shape = (
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{bar.value}"><title>{escape(text)}</title>'
            f'<text x="{label_width - 6}" y="{y + row * 0.7:.1f}" text-anchor="end">{escape(_short(bar.label, 24))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{row}" fill="{BAR_FILL}"/>'
            f'<text x="{label_width + length + 4}" y="{y + row * 0.7:.1f}">{_number(bar.value)}</text></g>'
        )
        parts.append(_link(bar.href, shape))
    parts.append(f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="#000"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every text in it went through escape()


def stacked_bar(chart_id: str, title: str, parts_in: Sequence[Bar], *, width: int = 420) -> Markup:
    """One bar split into parts told apart by pattern, with a legend under it."""
    bar_height, legend_row = 28, 18
    total = sum(p.value for p in parts_in)
    height = bar_height + 10 + legend_row * len(parts_in)
    out = [_open(chart_id, title, width, height, linked=any(p.href for p in parts_in)), "<defs>"]
    for index, (fill, drawing) in enumerate(PATTERNS):
        out.append(
            f'<pattern id="{chart_id}-p{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{fill}"/>{drawing or ""}</pattern>'
        )
    out.append("</defs>")
    x = 0.0
    for index, part in enumerate(parts_in):
        share = width * part.value / total if total else 0
        text = f"{part.label}: {_number(part.value)}"
        if share:
            out.append(_link(part.href, (
                f'<g class="part" data-label="{escape(part.label)}" data-value="{part.value}"><title>{escape(text)}</title>'
                f'<rect x="{x:.1f}" y="0" width="{share:.1f}" height="{bar_height}" fill="url(#{chart_id}-p{index % len(PATTERNS)})"'
                ' stroke="#000" stroke-width="0.8"/></g>'
            )))
        x += share
    if not total:
        out.append(f'<rect x="0" y="0" width="{width}" height="{bar_height}" fill="none" stroke="#000" stroke-dasharray="4 3"/>')
    for index, part in enumerate(parts_in):
        y = bar_height + 10 + index * legend_row
        out.append(
            f'<g class="legend"><rect x="0" y="{y}" width="14" height="12" fill="url(#{chart_id}-p{index % len(PATTERNS)})"'
            f' stroke="#000" stroke-width="0.8"/><text x="20" y="{y + 10}">{escape(part.label)}: {_number(part.value)}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 — every text in it went through escape()


def _open(chart_id: str, title: str, width: int, height: int, *, linked: bool = False) -> str:
    """The <svg> opening: an image, or a labelled group when its bars are links (an image holds no links)."""
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart ids are written in code: {chart_id!r}")
    role = "group" if linked else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="{role}" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12" fill="{TEXT_FILL}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    )


def _link(href: str | None, shape: str) -> str:
    return f'<a href="{escape(href)}">{shape}</a>' if href else shape


# --- trends: line charts drawn by pygal -------------------------------------------------------
#
# pygal (a maintained library, pure Python) draws the trend lines as SVG on the server: the
# page stays free of charting JavaScript, the CSP needs nothing new (pygal's CSS sits in a
# <style> inside the SVG, which style-src 'unsafe-inline' already allows; its inline config
# <script> is removed here, as are its comments, which carry the day it was drawn). Lines are
# told apart by dash pattern and grey level, so they read on a black-and-white printout.

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
LINE_DASHES = (None, "8, 4", "2, 3", "10, 3, 2, 3")
LINE_GREYS = ("#000", "#333", "#555", "#777")


def _pygal():
    """pygal, imported once. On import it appends a legacy sys.meta_path finder for its map
    plugins (pygal.maps.*, which we do not use) that makes every later failed import warn
    (ImportWarning: no find_spec); it is taken out again here."""
    import sys

    import pygal

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
    return pygal


def _line_style():
    from pygal.style import Style

    return Style(
        background="white", plot_background="white", foreground="#111", foreground_strong="#000",
        foreground_subtle="#999", colors=LINE_GREYS, font_family=FONT, label_font_size=12,
        major_label_font_size=12, legend_font_size=13, value_font_size=11, title_font_size=14,
    )


def line_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               *, percent: bool = False) -> Markup:
    """Lines over the labels (oldest first), one per (name, values); percent: values are 0..1."""
    pygal = _pygal()

    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart ids are written in code: {chart_id!r}")

    def shown(value):
        if value is None:
            return "—"
        if percent:
            return f"{value * 100:.1f}".replace(".", ",").removesuffix(",0") + "%"
        return _number(int(value))

    chart = pygal.Line(
        style=_line_style(), js=[], width=820, height=300, title=title, legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 4), truncate_legend=-1, truncate_label=-1,
        x_label_rotation=0, dots_size=3, show_x_guides=False, value_formatter=shown,
        range=(0, 1) if percent else None, min_scale=4, max_scale=8, allow_interruptions=True,
        margin=8, spacing=8,
    )
    chart.x_labels = list(labels)
    if percent:
        chart.y_labels = [0, 0.25, 0.5, 0.75, 1]
        chart.y_labels_major = []
    for index, (name, values) in enumerate(series):
        dash = LINE_DASHES[index % len(LINE_DASHES)]
        chart.add(name, list(values), stroke_style={"width": 2.2, **({"dasharray": dash} if dash else {})})
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title" data-chart-id="{chart_id}" ', 1,
    ).replace("<title>", f'<title id="{chart_id}-title">', 1)
    return Markup(svg)  # noqa: S704 — pygal escapes every text it writes (lxml)
