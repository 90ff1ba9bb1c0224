"""The unit ranking's rows (dashboard.ranking.ranking_rows, the template global ranking_rows)."""

import re

from app.dashboard.ranking import ranking_rows
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
