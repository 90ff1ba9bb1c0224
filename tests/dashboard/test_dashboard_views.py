"""The dashboard: who sees it, htmx fragment vs page, and numbers that match the lists they link to."""

import html
import re

import pytest

from app.dashboard.routes import PANELS_ID
from tests.dashboard.conftest import field_id, ids

COUNT_RE = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')
PROPOSAL_TOTAL_RE = re.compile(r"<small>([\d.]+) kiến nghị</small>")
ASSIGNMENT_TOTAL_RE = re.compile(r"<small>([\d.]+) nhiệm vụ, hạn gần nhất trước")



def rate_in(html: str, kind: str) -> tuple[str, str, str]:
    """The text of the first rate of kind and the two counts it carries (rates.rate_html, the template global rate)."""
    m = re.search(rf'data-rate-kind="{kind}" data-part="(\d+)" data-whole="(\d+)" title="[^"]+"><span class="rate-value">([^<]+)<', html)
    return m.group(3), m.group(1), m.group(2)

def section(body: str, element_id: str) -> str:
    start = body.index(f'id="{element_id}"')
    end = body.find("</table>", start)
    return body[start:end]


def count_in(body: str, marker: str) -> int:
    """The linked number in the table row carrying marker (e.g. data-state="assigned")."""
    start = body.index(marker)
    return int(COUNT_RE.search(body, start).group(2))


def list_total(client, href: str) -> int:
    response = client.get(html.unescape(href))
    assert response.status_code == 200, href
    body = response.get_data(as_text=True)
    match = PROPOSAL_TOTAL_RE.search(body) or ASSIGNMENT_TOTAL_RE.search(body)
    assert match, href
    return int(match.group(1).replace(".", ""))


@pytest.mark.parametrize(("key", "status"), [("commune_a", 403), ("department", 403), ("admin", 403)])
def test_only_leaders_and_coordinators_see_the_dashboard(as_user, key, status):
    assert as_user(key).get("/dashboard/").status_code == status


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/dashboard/?period=week")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/dashboard/")


def test_every_number_links_to_the_list_that_makes_it_up(seeded, as_user):
    client = as_user("leader")
    response = client.get(f"/dashboard/?{seeded['query']}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    links = {}
    for href, value in COUNT_RE.findall(body):
        links.setdefault(href, set()).add(int(value))
    assert len(links) > 30
    for href, values in links.items():
        assert values == {list_total(client, href)}, html.unescape(href)


def test_seeded_figures(seeded, as_user):
    body = as_user("coordinator").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    states = section(body, "chart-states")  # the chart and its table
    assert {key: count_in(states, f'data-state="{key}"') for key in
            ("submitted", "returned", "withdrawn", "assigned", "answered", "closed")} == {
        "submitted": 1, "returned": 0, "withdrawn": 1, "assigned": 2, "answered": 1, "closed": 1}
    timely = section(body, "chart-timeliness")
    assert [count_in(timely, f'data-timeliness="{k}"') for k in
            ("answered_on_time", "answered_late", "pending_on_time", "pending_overdue")] == [1, 1, 1, 1]
    departments = section(body, "dash-departments")
    rows = re.findall(r'<tr data-unit="\d+">\s*<td>([^<]+)</td>(.*?)</tr>', departments, re.S)
    table = {name: [int(v) for v in re.findall(r'data-count="(\d+)"', cells)] for name, cells in rows}
    assert table == {"Sở Xây dựng": [0, 1, 1, 1], "Sở Nội vụ": [1, 0, 0, 0]}
    assert [name for name, _cells in rows] == ["Sở Xây dựng", "Sở Nội vụ"]  # overdue first
    five = section(body, "dash-five-way")
    assert rate_in(five, "completion") == ("66,7%", "2", "3") and rate_in(five, "on_time") == ("50%", "1", "2")
    counts = {k: count_in(five, f'data-status="{k}"') for k in
              ("done_on_time", "done_late", "open_on_time", "open_overdue", "ongoing", "suspended", "cancelled")}
    assert counts == {"done_on_time": 1, "done_late": 1, "open_on_time": 1, "open_overdue": 1, "ongoing": 2,
                      "suspended": 0, "cancelled": 0}
    bodies = section(body, "dash-rank-bodies")
    assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', bodies) == ["Sở Xây dựng", "Sở Nội vụ"]
    communes = section(body, "dash-rank-communes")
    # Both have no task overdue; Pleiku's rate (1/1) and Ia Boòng's (1/1) tie, so the name decides.
    assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', communes) == ["Phường Pleiku", "Xã Ia Boòng"]


def test_top_overdue_and_reporting_completeness(seeded, as_user):
    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    overdue = section(body, "dash-top-overdue")
    kinds = re.findall(r'<tr data-kind="(\w+)">', overdue)
    days = [int(d) for d in re.findall(r"data-days-overdue>(\d+)<", overdue)]
    assert kinds == ["assignment", "proposal"] and days == [10, 5]
    assert "Kiện toàn tổ chức bộ máy" in overdue and "Cầu tràn quá hạn" in overdue
    completeness = section(body, "dash-completeness")
    found = re.findall(r'<tr data-directive="(\d+)">.*?data-reported="(\d+)">\d+/(\d+)</a>', completeness, re.S)
    rows = {directive: (int(reported), int(working)) for directive, reported, working in found}
    staffing, poverty = str(seeded["directives"]["staffing"]), str(seeded["directives"]["poverty"])
    assert rows == {staffing: (1, 2), poverty: (0, 2)}  # SXD reported, SNV did not; nobody on poverty
    staffing_row = completeness[completeness.index(f'data-directive="{staffing}"'):]
    staffing_row = staffing_row[:staffing_row.index("</tr>")]
    assert "Sở Nội vụ" in staffing_row and "Sở Xây dựng" not in staffing_row.split("data-reported")[1]


def test_field_and_unit_narrow_every_panel(app, seeded, as_user):
    client = as_user("leader")
    sxd = ids(app, "SXD")[0]
    body = client.get(f"/dashboard/?{seeded['query']}&unit={sxd}").get_data(as_text=True)
    assert count_in(section(body, "chart-states"), "<tfoot>") == 3  # SXD leads or supports three
    assert count_in(section(body, "dash-five-way"), 'data-status="open_overdue"') == 1
    assert count_in(section(body, "dash-five-way"), "<tfoot>") == 1
    assert "Đơn vị: <strong>Sở Xây dựng</strong>" in body
    water = field_id(app, "Thủy lợi")
    body = client.get(f"/dashboard/?{seeded['query']}&field={water}").get_data(as_text=True)
    assert count_in(section(body, "chart-states"), "<tfoot>") == 1
    assert count_in(section(body, "dash-five-way"), "<tfoot>") == 0
    assert "Lĩnh vực: <strong>Thủy lợi</strong>" in body


def test_trend_compares_with_the_period_before(seeded, as_user):
    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    trend = section(body, "dash-trend-table")
    received = trend[trend.index("Kiến nghị nhận được"):]
    values = [int(v) for v in re.findall(r'data-count="(\d+)"', received[:received.index("</tr>")])]
    assert values == [6, 0]
    assert "▲ +6" in received[:received.index("</tr>")]
    before_start, before_end = seeded["before"]
    assert f"from={before_start.isoformat()}" in trend and f"to={before_end.isoformat()}" in trend


def test_htmx_gets_only_the_panels_and_the_short_url(seeded, as_user):
    client = as_user("leader")
    response = client.get(f"/dashboard/?{seeded['query']}&field=&unit=", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div id="{PANELS_ID}"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == f"/dashboard/?{seeded['query']}"
    full = client.get("/dashboard/?period=week", htmx=True, headers={"HX-Boosted": "true"})
    assert "<html" in full.get_data(as_text=True) and "HX-Push-Url" not in full.headers
    page = as_user("coordinator").get("/dashboard/").get_data(as_text=True)
    assert "<html" in page and 'hx-target="#dashboard-panels"' in page and 'hx-push-url="true"' in page
    assert '<option selected value="month">' in page  # this month by default


def test_a_reversed_custom_range_is_explained_and_this_month_shown(as_user):
    response = as_user("leader").get("/dashboard/?period=custom&from=30/09/2025&to=01/09/2025")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Ngày kết thúc phải sau ngày bắt đầu." in body and "Đang hiển thị tháng này." in body
    assert "<strong>Tháng này:</strong>" in body


def test_dates_typed_dd_mm_yyyy_choose_a_custom_range(as_user):
    body = as_user("leader").get("/dashboard/?from=01/09/2025&to=30/09/2025").get_data(as_text=True)
    assert "<strong>Khoảng thời gian tùy chọn:</strong> 01/09/2025 – 30/09/2025" in body
    assert 'value="01/09/2025"' in body  # shown back as typed


def test_leaders_home_leads_to_the_dashboard(seeded, as_user):
    body = as_user("leader").get("/").get_data(as_text=True)
    panel = body[body.index('data-panel="dashboard"'):]
    assert 'href="/dashboard/"' in panel[:3000] and 'href="/reports/"' in panel[:3000]
    assert body.index('data-panel="dashboard"') < body.index('data-panel="rollup"')  # first on the page
    nav = body[:body.index("</nav>")]
    assert 'href="/dashboard/"' in nav and 'href="/reports/"' in nav


@pytest.fixture
def many_awaiting_reports(seeded, make_directive, assign):
    """Eighteen more directives to two units, none reported: twenty in the completeness table."""
    for number in range(18):
        directive_id = make_directive(title=f"Chỉ đạo số {number:02d}", deadline=None)
        assign(directive_id, ["SXD", "SNV"] if number % 2 else ["Xã Ia Boòng", "Phường Pleiku", "SXD"])
    return seeded


def completeness_rows(body: str) -> list[str]:
    return re.findall(r'<tr data-directive="(\d+)">', section(body, "dash-completeness"))


def test_completeness_shows_the_worst_and_the_rest_on_demand(many_awaiting_reports, as_user):
    from app.dashboard.routes import COMPLETENESS_ID, COMPLETENESS_MORE_ID, COMPLETENESS_ROWS

    client = as_user("leader")
    query = many_awaiting_reports["query"]
    body = client.get(f"/dashboard/?{query}").get_data(as_text=True)
    shown = completeness_rows(body)
    assert len(shown) == COMPLETENESS_ROWS
    more = body[body.index(f'id="{COMPLETENESS_MORE_ID}"'):]
    more = more[:more.index("</p>")]
    assert f"{COMPLETENESS_ROWS} trên 20 chỉ đạo" in more
    href = html.unescape(re.search(r'<a href="([^"]+)" hx-get="\1"', more).group(1))
    assert href.startswith("/dashboard/reporting?") and f"from={many_awaiting_reports['start'].isoformat()}" in href
    assert f'id="{COMPLETENESS_ID}" hx-target="this" hx-swap="outerHTML"' in body

    # htmx: the component again, every row, the worst first as on the dashboard, no "show all"
    fragment = client.get(href, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith(f'<div id="{COMPLETENESS_ID}"')
    every = completeness_rows(text)
    assert len(every) == 20 and every[:COMPLETENESS_ROWS] == shown and COMPLETENESS_MORE_ID not in text
    # The three-unit directives (three missing) come before the two-unit ones, by id within each.
    assert int(every[0]) < int(every[1]) and "Chưa báo cáo" in text

    # Without JavaScript the same link is a page with the whole table.
    page = client.get(href).get_data(as_text=True)
    assert "<html" in page and completeness_rows(page) == every and "Về bảng điều hành" in page


def test_completeness_without_more_rows_has_no_show_all(seeded, as_user):
    from app.dashboard.routes import COMPLETENESS_MORE_ID

    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    assert len(completeness_rows(body)) == 2 and COMPLETENESS_MORE_ID not in body


def test_the_reporting_page_says_its_scope_for_print(app, seeded, as_user):
    sxd = ids(app, "SXD")[0]
    body = as_user("leader").get(f"/dashboard/reporting?{seeded['query']}&unit={sxd}").get_data(as_text=True)
    said = body[body.index("data-print-scope"):]
    said = re.sub(r"\s+", " ", said[:said.index("</p>")])
    start, end = seeded["start"].strftime("%d/%m/%Y"), seeded["end"].strftime("%d/%m/%Y")
    assert f"Kỳ báo cáo: Khoảng thời gian tùy chọn ({start} – {end}); Đơn vị: Sở Xây dựng" in said
