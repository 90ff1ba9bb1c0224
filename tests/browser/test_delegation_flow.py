"""Issue 18 in a real browser: the coordinator pastes a notice with 8 conclusions, corrects one
unit and issues all; the Sở Tài chính's head gives its new task to an officer, the officer
drafts a progress report, the head approves it, and the report is on the task as the unit's."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_notice_flow import issue_notice_with_one_correction

TASK = "hỗ trợ các xã, phường thu hút đầu tư"  # conclusion II.7: Sở Tài chính leads
REPORT = "Đã làm việc với 12 xã về danh mục dự án kêu gọi đầu tư; đang hoàn thiện hồ sơ."


def _open_task(page) -> None:
    page.get_by_role("link", name="Nhiệm vụ được giao").first.click()
    page.get_by_role("link", name=re.compile(TASK)).first.click()


def test_head_assigns_officer_reports_head_approves(new_page):
    office = new_page()
    issue_notice_with_one_correction(office)

    # The head of the Sở Tài chính gives the task to an officer, with a co-officer.
    head = new_page()
    log_in(head, "stc.truong.demo")
    _open_task(head)
    panel = head.locator("#delegation-panel")
    panel.get_by_label("Cán bộ xử lý").select_option(label="Phan Thị Mai")
    panel.get_by_role("checkbox", name="Lý Văn Toàn").check()
    panel.get_by_role("button", name="Giao việc").click()
    expect(panel.get_by_text("Đã giao việc cho cán bộ.")).to_be_visible()
    expect(panel.locator("[data-delegation-state]")).to_have_text("Đang xử lý")
    task_url = head.url

    # The officer finds it first on her home page and drafts a progress report.
    officer = new_page()
    log_in(officer, "stc.cv1.demo")
    mine = officer.locator("#my-work-h")
    expect(mine).to_be_visible()
    officer.locator(".delegation-rows").get_by_role("link", name=re.compile(TASK)).click()
    expect(officer.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)  # nothing leaves past the head
    panel = officer.locator("#delegation-panel")
    panel.get_by_label("Loại dự thảo").select_option(label="Dự thảo báo cáo tiến độ")
    panel.get_by_label("Nội dung dự thảo").fill(REPORT)
    panel.get_by_label("Tỷ lệ hoàn thành (%)").fill("30")
    panel.get_by_role("button", name="Gửi lãnh đạo duyệt").click()
    expect(panel.locator("[data-delegation-state]")).to_have_text("Chờ lãnh đạo duyệt")

    # The head approves from the home page's waiting drafts; the report goes out as the unit's.
    head.goto("/")
    head.locator(".delegation-rows").get_by_role("link", name=re.compile(TASK)).click()
    panel = head.locator("#delegation-panel")
    expect(panel).to_contain_text(REPORT)
    panel.get_by_role("button", name="Duyệt và gửi đi").click()
    expect(head.get_by_text("Đã duyệt và gửi đi dưới tên đơn vị.")).to_be_visible()
    expect(head.locator("#timeline")).to_contain_text(REPORT)

    # The office sees the report on the Sở Tài chính's task, from the unit.
    office.goto(task_url)
    timeline = office.locator("#timeline")
    expect(timeline).to_contain_text(REPORT)
    expect(timeline.locator("li", has_text=REPORT)).to_contain_text("Sở Tài chính")
    expect(timeline).to_contain_text("Lãnh đạo đơn vị duyệt dự thảo")


def test_delegation_pages_pass_axe_and_fit_a_phone(browser, live_server):
    """The head's and the officer's pages of the demo's Sở Tài chính: no serious WCAG problem, no
    sideways scrolling at 360 px (the sweep of test_every_page.py logs in as other accounts)."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_every_page import AXE_OPTIONS, PHONE, _blocking

    for username in ("stc.truong.demo", "stc.cv1.demo"):
        context = browser.new_context(base_url=live_server, locale="vi-VN", viewport=PHONE, bypass_csp=True,
                                      reduced_motion="reduce")
        context.set_default_timeout(10000)
        page = context.new_page()
        log_in(page, username)
        page.goto("/my-work")
        task = page.locator(".delegation-rows a").first.get_attribute("href")
        for path in ("/", "/my-work", task):
            page.goto(path)
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            assert not page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"), (username, path)
            assert _blocking(Axe().run(page, options=AXE_OPTIONS).response) == [], (username, path)
        context.close()
