"""The unit ranking's rows, written in Python (the template global ``ranking_rows``).

The dashboard ranks every unit it follows (some 160 rows of seven figures); drawn by a Jinja
loop, those rows took half of the page's template time. The same cells as before, through the
same helpers: ``count_html`` for each count and its list, ``rates.rate_html`` for each rate.
"""

from markupsafe import Markup, escape

from app.dashboard.services import UnitRow, count_html
from app.directives import status
from app.rates import rate_html


def ranking_rows(rows: list[UnitRow], offset: int = 0) -> Markup:
    """The table rows of rows, numbered from offset + 1: the unit linking to its tasks, a count
    per status linking to its list, and the two rates."""
    out = []
    for number, row in enumerate(rows, start=offset + 1):
        counts, links = row.counts, row.links
        cells = "".join(
            f'<td class="num">{count_html({"value": counts[key], "href": links[key]})}</td>' for key in status.CLASSES
        )
        out.append(
            f'<tr data-unit="{row.unit.id}">'
            f'<td class="num">{number}</td>'
            f'<td><a href="{escape(links["all"])}">{escape(row.unit.name)}</a></td>'
            f"{cells}"
            f'<td class="num" data-rate="completion">{rate_html(counts.completion)}</td>'
            f'<td class="num" data-rate="on_time">{rate_html(counts.on_time)}</td>'
            "</tr>\n"
        )
    return Markup("".join(out))  # noqa: S704 — every value in it is escaped, an int or Markup
