"""A directive's whole life in a real browser: issue to all communes, report, ask, confirm."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from app import clock
from tests.browser.conftest import log_in

TITLE = "Báo cáo số liệu đội ngũ cán bộ, công chức cấp xã (thử nghiệm trình duyệt)"
REPORT = "Đã rà soát đủ 42 vị trí việc làm, gửi kèm danh sách."


def _page(new_page, username):
    page = new_page()
    # Offices may have no internet: the vendored htmx is used, as in production.
    page.route("https://unpkg.com/**", lambda route: route.abort())
    log_in(page, username)
    return page


def test_issue_to_all_communes_report_ask_and_confirm(new_page):
    # The coordinator issues a directive and assigns it to every commune and ward.
    office = _page(new_page, "vanphong.demo")
    office.get_by_role("link", name="Chỉ đạo").click()
    office.get_by_role("button", name="Ban hành chỉ đạo").click()
    office.get_by_label("Người chỉ đạo").fill("Lương Văn Trọng")
    office.get_by_label("Trích yếu").fill(TITLE)
    office.get_by_label("Nội dung chỉ đạo").fill("Các xã, phường báo cáo số liệu cán bộ, công chức hiện có và còn thiếu.")
    office.get_by_label("Lĩnh vực").select_option(label="Biên chế, tổ chức bộ máy")
    office.get_by_label("Hạn hoàn thành").fill((clock.today() + timedelta(days=20)).isoformat())
    office.get_by_role("button", name="Ban hành và chọn đơn vị thực hiện").click()
    expect(office.get_by_role("heading", name="Giao nhiệm vụ")).to_be_visible()
    office.get_by_label("Tất cả xã, phường").check()
    office.get_by_label("Chủ trì").check()
    office.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(office.get_by_text("Đã giao nhiệm vụ cho 135 đơn vị.")).to_be_visible()
    expect(office.locator("[data-rollup-done]")).to_have_text("0/135 đơn vị đã hoàn thành")
    directive_url = office.url

    # The commune reports progress: it appears without a page reload, then asks for completion.
    commune = _page(new_page, "xa.demo")
    commune.get_by_role("link", name="Nhiệm vụ được giao").first.click()
    commune.get_by_role("link", name=TITLE).click()
    commune.evaluate("window.stillTheSamePage = true")
    commune.get_by_label("Nội dung báo cáo").fill(REPORT)
    commune.get_by_label("Tỷ lệ hoàn thành (%)").fill("100")
    commune.get_by_role("button", name="Gửi báo cáo").click()
    expect(commune.locator("#timeline")).to_contain_text(REPORT)
    expect(commune.get_by_text("Đã gửi báo cáo tiến độ.")).to_be_visible()
    assert commune.evaluate("window.stillTheSamePage") is True, "the report should not reload the page"
    commune.get_by_role("button", name="Đề nghị xác nhận hoàn thành", exact=True).click()
    commune.get_by_role("button", name="Gửi đề nghị xác nhận hoàn thành").click()
    expect(commune.locator("[data-state]")).to_have_text("Chờ xác nhận hoàn thành")
    assert commune.evaluate("window.stillTheSamePage") is True

    # The coordinator finds the commune with the in-place filter and confirms.
    office.goto(directive_url)
    office.get_by_label("Tìm đơn vị").fill("ia boong")
    expect(office).to_have_url(re.compile(r"unit_q=ia(\+|%20)boong"))
    expect(office.locator("#assignments-table tbody tr")).to_have_count(1)
    office.get_by_role("link", name="Xã Ia Boòng").click()
    expect(office.get_by_text(REPORT)).to_be_visible()
    office.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(office.get_by_text("Đã xác nhận hoàn thành.")).to_be_visible()
    expect(office.locator("[data-state]")).to_have_text("Đã hoàn thành")

    # The directive's roll-up has moved.
    office.goto(directive_url)
    expect(office.locator("[data-rollup-done]")).to_have_text("1/135 đơn vị đã hoàn thành")
    expect(office.locator('[data-count="done_on_time"]')).to_have_text("1")
    expect(office.locator('[data-rate="completion"] .rate-value')).to_have_text("100%")
    expect(office.locator('[data-rate="on_time"] .rate-value')).to_have_text("100%")
    expect(office.locator('[data-rate="completion"] .rate')).to_have_attribute(
        "title", re.compile(r"^Tỷ lệ hoàn thành nhiệm vụ đến hạn: 1/1: nhiệm vụ đã hoàn thành trên"))
