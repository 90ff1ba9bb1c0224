"""The unit ranking's rows and the ranking strip's cells (dashboard.ranking: the template globals
ranking_rows and strip_cells)."""

import re

from app import rates
from app.dashboard.overview import StripCell
from app.dashboard.ranking import ranking_rows, strip_cells
from app.dashboard.services import UnitRow
from app.directives import status
from app.models import Unit


def test_a_ranking_row_numbers_links_counts_and_rates_its_unit_escaped(app):
    counts = status.counts_from_mapping({"done_on_time": 3, "done_late": 1, "open_overdue": 1, "ongoing": 2})
    links = {key: f"/assignments?status={key}&unit_id=7" for key in (*status.ALL_KEYS, "all")}
    unit = Unit(id=7, code="X7", name='Xã <b>"Thử"</b> & Co', kind="xa")
    with app.test_request_context():
        html = str(ranking_rows([UnitRow(unit, counts, links)], offset=10))
    assert html.count("<tr ") == 1 and 'data-unit="7"' in html
    assert '<td class="num">11</td>' in html  # numbered after the rows shown above it
    assert "<b>" not in html and "Xã &lt;b&gt;&#34;Thử&#34;&lt;/b&gt; &amp; Co" in html
    assert '<a href="/assignments?status=all&amp;unit_id=7">' in html
    cells = re.findall(r'<a href="/assignments\?status=(\w+)&amp;unit_id=7" data-count="(\d+)">', html)
    assert cells == [("done_on_time", "3"), ("done_late", "1"), ("open_on_time", "0"), ("open_overdue", "1"),
                     ("ongoing", "2")]
    assert 'data-rate-kind="completion" data-part="4" data-whole="5"' in html
    assert 'data-rate-kind="on_time" data-part="3" data-whole="4"' in html


def test_a_strip_cell_shades_links_and_names_its_unit_escaped(app):
    commune = Unit(id=7, code="X7", name='Xã <b>"Thử"</b> & Co', kind="xa")
    department = Unit(id=9, code="SXD", name="Sở Xây dựng", kind="so")
    cells = [
        StripCell(commune, rates.Rate(rates.COMPLETION, 2, 1234), 1234, 1232, "/assignments?status=all&unit_id=7"),
        StripCell(department, None, 0, 0, "/assignments?status=all&unit_id=9"),
    ]
    with app.test_request_context():
        html = str(strip_cells(cells))
    first, second = html.split("</li>")[:2]
    assert '<li class="band-low commune" data-unit="7">' in first
    assert "<b>" not in html
    assert ('<a href="/assignments?status=all&amp;unit_id=7" title="Xã &lt;b&gt;&#34;Thử&#34;&lt;/b&gt; &amp; Co: 0,2%'
            ' (1.234 nhiệm vụ đến hạn, 1.232 quá hạn)">') in first
    assert '<span class="strip-rate" data-rate>0,2%</span>' in first
    assert '<li class="band-none" data-unit="9">' in second  # no task due: no rate, not a commune
    assert "Sở Xây dựng: — (0 nhiệm vụ đến hạn, 0 quá hạn)" in second
