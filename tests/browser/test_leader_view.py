"""The leader's view in Chromium: the first screen at 1366×768, the trends against the database,
the briefing pack against the dashboard, and print (page.pdf) that cuts no column."""

import io
import re
import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.live_server import serve_demo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
A4_LANDSCAPE_WIDTH_PT = 841.92
# A4 landscape less the list and dashboard print margins (10 + 10 mm, 12 + 9 mm), in CSS pixels.
PRINT_WIDTH_PX = 1040


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leader")
    with serve_demo(tmp) as base_url:
        yield base_url, tmp / "live.sqlite3"


@pytest.fixture(scope="module")
def live_server(demo_site):
    return demo_site[0]


@pytest.fixture
def leader_page(new_page):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "lanhdao.demo")
    return page


def test_the_tiles_are_on_the_first_screen(leader_page):
    page = leader_page
    page.goto("/dashboard/")
    tiles = page.locator("[data-tile]")
    assert tiles.count() == 7
    for index in range(tiles.count()):
        box = tiles.nth(index).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, tiles.nth(index).inner_text()
    # The ranking strip starts on the first screen too, every unit in it, each a link.
    strip = page.locator("#dash-strip li a")
    assert strip.count() >= 135
    assert strip.first.bounding_box()["y"] < 768
    # And the directives most behind, with their x/N roll-up.
    behind = page.locator("#dash-behind li").first
    assert behind.bounding_box()["y"] < 768, behind.inner_text()
    assert re.search(r"\d+/\d+", behind.inner_text())


def test_a_custom_range_waits_for_both_dates(leader_page):
    page = leader_page
    page.goto("/dashboard/")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/dashboard/" in r.url else None)
    page.select_option("select[name=period]", "custom")
    page.wait_for_timeout(400)
    assert requests == []  # no reload, no error before the dates are typed
    assert page.locator("input[name=from]").is_visible()
    page.fill("input[name=from]", "01/10/2026")
    page.locator("input[name=from]").dispatch_event("change")
    page.wait_for_timeout(300)
    assert requests == []
    page.fill("input[name=to]", "31/10/2026")
    with page.expect_response(lambda r: "/dashboard/?" in r.url):
        page.locator("input[name=to]").dispatch_event("change")
    # htmx swaps the panels in after the answer has come: wait for the swap, not the answer.
    expect(page.locator(".dashboard-scope")).to_contain_text("01/10/2026 – 31/10/2026")
    assert page.locator(".flash-error").count() == 0


def test_the_period_is_remembered_when_the_leader_comes_back(leader_page):
    page = leader_page
    page.goto("/dashboard/")
    with page.expect_response(lambda r: "period=quarter" in r.url):
        page.select_option("select[name=period]", "quarter")
    page.goto("/proposals/")
    page.goto("/dashboard/")
    assert page.locator("select[name=period]").input_value() == "quarter"


def _local_day(text: str | None) -> date | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL).date()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def test_the_trend_numbers_equal_counts_from_the_database(leader_page, demo_site):
    page = leader_page
    page.goto("/dashboard/trends?span=months")
    rows = page.locator("#dash-trend-series tbody tr")
    assert rows.count() == 12
    with sqlite3.connect(demo_site[1]) as connection:
        proposals = connection.execute("SELECT state, sent_at, answered_on FROM proposals").fetchall()
        tasks = connection.execute(
            "SELECT state, completed_on, original_deadline, extended_deadline FROM assignments").fetchall()
    seen = 0
    for index in range(12):
        row = rows.nth(index)
        start, end = date.fromisoformat(row.get_attribute("data-start")), date.fromisoformat(row.get_attribute("data-end"))
        shown = {key: int(row.locator(f'[data-series="{key}"]').inner_text().replace(".", ""))
                 for key in ("received", "answered", "completed", "newly_overdue")}
        expected = {"received": 0, "answered": 0, "completed": 0, "newly_overdue": 0}
        for state, sent_at, answered_on in proposals:
            sent = _local_day(sent_at)
            if state != "draft" and sent and start <= sent <= end:
                expected["received"] += 1
            if (answered := _day(answered_on)) and start <= answered <= end:
                expected["answered"] += 1
        for state, completed_on, original, extended in tasks:
            completed, deadline = _day(completed_on), _day(extended) or _day(original)
            if state == "done" and completed and start <= completed <= end:
                expected["completed"] += 1
            if state in ("suspended", "cancelled") or deadline is None:
                continue
            late_from = date.fromordinal(deadline.toordinal() + 1)
            if start <= late_from <= end and not (state == "done" and completed and completed <= deadline):
                expected["newly_overdue"] += 1
        assert shown == expected, (start, end)
        seen += sum(shown.values())
    assert seen > 0
    # The charts are drawn on the server, with the same series, and carry no script.
    assert page.locator("svg[data-chart-id=chart-trend-counts]").count() == 1
    assert page.locator("main script").count() == 0


def test_the_briefing_pack_says_what_the_dashboard_says(leader_page, demo_site):
    page = leader_page
    with sqlite3.connect(demo_site[1]) as connection:
        meeting = connection.execute("SELECT meeting_id FROM directives WHERE meeting_id IS NOT NULL "
                                     "GROUP BY meeting_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    page.goto(f"/meetings/{meeting}")
    link = page.locator("#meeting-reports a[href^='/reports/briefing/']")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    pack = page.locator("body").inner_text()
    held = re.search(r"Từ ngày (\d\d/\d\d/\d{4}) \(ngày họp\) đến ngày (\d\d/\d\d/\d{4})", pack)
    assert held, pack[:500]
    start, end = (datetime.strptime(d, "%d/%m/%Y").date() for d in held.groups())
    page.goto(f"/dashboard/?period=custom&from={start.isoformat()}&to={end.isoformat()}")
    tiles = page.locator("[data-tile]")
    for index in range(tiles.count()):
        tile = tiles.nth(index)
        label = tile.locator(".tile-label").inner_text().strip()
        value = tile.locator("[data-value]").inner_text().strip()
        assert re.search(rf"{re.escape(label)}\s+{re.escape(value)}\s", pack), (label, value)


def test_the_period_pack_from_the_dashboard_says_what_the_dashboard_says(leader_page):
    page = leader_page
    page.goto("/dashboard/?period=quarter")
    tiles = page.locator("[data-tile]")
    shown = [(tiles.nth(i).locator(".tile-label").inner_text().strip(),
              tiles.nth(i).locator("[data-value]").inner_text().strip()) for i in range(tiles.count())]
    assert len(shown) == 7
    link = page.locator("a[href^='/reports/briefing?']")
    assert link.get_attribute("href") == "/reports/briefing?period=quarter"
    link.click()
    page.wait_for_url("**/reports/briefing?period=quarter")
    pack = page.locator("body").inner_text()
    for label, value in shown:
        assert re.search(rf"{re.escape(label)}\s+{re.escape(value)}\s", pack), (label, value)
    assert "Kết quả thực hiện các chỉ đạo ban hành trong kỳ" in pack
    assert "Kiến nghị của các xã, phường gửi trong kỳ, theo đơn vị chủ trì" in pack
    # Its Word and PDF with the same period.
    assert page.locator("form[action='/reports/briefing.docx?period=quarter']").count() == 1
    assert page.locator("form[action='/reports/briefing.pdf?period=quarter']").count() == 1


def _print(page) -> tuple[PdfReader, str]:
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def _nothing_wider_than_the_page(page) -> None:
    page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 700})
    page.emulate_media(media="print")
    too_wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('main table, main svg, main img, main pre, main ol, main ul')]
             .filter(el => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > limit + 1)
             .map(el => (el.id || el.className || el.tagName) + ':' + Math.round(el.getBoundingClientRect().right))""",
        PRINT_WIDTH_PX,
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINT_WIDTH_PX + 1


def test_the_dashboard_prints_on_three_landscape_pages_with_the_whole_ranking(leader_page):
    page = leader_page
    page.goto("/dashboard/")
    units = page.locator("#dash-rank-communes tbody tr, #dash-rank-communes-rest tbody tr").count()
    reader, text = _print(page)
    assert 1 <= len(reader.pages) <= 3
    assert all(abs(float(p.mediabox.width) - A4_LANDSCAPE_WIDTH_PT) < 1 for p in reader.pages)
    assert "Xem tiếp" not in text and f"Trang 1/{len(reader.pages)}" in text
    assert "Bộ lọc đang áp dụng: Kỳ báo cáo: Tháng này" in text
    assert units >= 135 and "Xã Ia Boòng" in text
    _nothing_wider_than_the_page(page)


@pytest.mark.parametrize("url, words", [
    ("/proposals/?state=assigned", "Trạng thái: Đã chuyển xử lý"),
    ("/assignments?status=open_overdue", "Tình trạng: Đang thực hiện quá hạn"),
    ("/directives/", "Bộ lọc đang áp dụng"),
    ("/meetings/", "In lúc"),
    ("/dashboard/reporting?period=quarter", "Bộ lọc đang áp dụng: Kỳ báo cáo: Quý này ("),
    ("/dashboard/trends?span=months", "Bộ lọc đang áp dụng"),
])
def test_every_list_prints_every_column_with_its_filters(leader_page, url, words):
    page = leader_page
    page.goto(url)
    headings = [h.strip() for h in page.locator("main table thead th").all_inner_texts() if h.strip()]
    reader, text = _print(page)
    assert words in text and "In lúc" in text and "Trang 1/" in text
    flat = re.sub(r"\s+", " ", text)
    for heading in headings:
        assert heading.split()[0] in flat, heading
    _nothing_wider_than_the_page(page)


def test_a_directive_with_135_units_prints_compactly(leader_page):
    page = leader_page
    page.goto("/directives/1")
    assert page.locator("main table tbody tr").count() >= 135
    reader, text = _print(page)
    assert len(reader.pages) <= 8  # 37 before
    assert "Báo cáo gần nhất" in text
    _nothing_wider_than_the_page(page)
