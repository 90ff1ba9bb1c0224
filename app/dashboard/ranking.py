"""The unit ranking's rows and the ranking strip's cells, written in Python (the template
globals ``ranking_rows`` and ``strip_cells``).

The dashboard ranks every unit it follows (some 160 rows of seven figures) and shades every
active unit in the strip; drawn by Jinja loops, those rows took half of the page's template
time, and the strip a third of the rest. The same cells as before, through the same helpers:
``count_html`` for each count and its list, ``rates.rate_html`` for each rate.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.dashboard.overview import StripCell
from app.dashboard.services import UnitRow, count_html
from app.directives import status
from app.formatting import format_number
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


def strip_cells(cells: list[StripCell]) -> Markup:
    """The strip's list items: each unit shaded by its rate's band, linking to its tasks, its
    name and rate shown, and the tasks due and overdue in the link's title."""
    title = _("%(due)s nhiệm vụ đến hạn, %(overdue)s quá hạn")  # looked up once, not per unit
    out = []
    for cell in cells:
        unit = cell.unit
        name, rate_text = escape(unit.name), escape(cell.rate_text)
        counts = escape(title % {"due": format_number(cell.due), "overdue": format_number(cell.overdue)})
        out.append(
            f'<li class="band-{cell.band}{" commune" if unit.is_commune else ""}" data-unit="{unit.id}">'
            f'<a href="{escape(cell.href)}" title="{name}: {rate_text} ({counts})">'
            f'<span class="strip-name">{name}</span> '
            f'<span class="strip-rate" data-rate>{rate_text}</span>'
            "</a></li>\n"
        )
    return Markup("".join(out))  # noqa: S704 — every value in it is escaped or an int
