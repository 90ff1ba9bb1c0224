"""Dates in an English browser (issue 15, 3): typed and shown dd/mm/yyyy, "5/1/2026" accepted, and a
calendar that starts on Monday and marks weekends and holidays learnt from the server."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in

OPEN_DAYS = ".flatpickr-calendar.open .flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)"


def test_date_box_in_an_english_browser(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        log_in(page, "vanphong.demo")
        page.goto("/proposals/")
        box = page.locator('input[name="from"]')
        expect(box).to_have_attribute("type", "text")
        expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
        box.fill("1/1/2026")
        box.press("Tab")
        expect(box).to_have_value("01/01/2026")  # written the one way when left

        # The calendar opens on the typed month, the week starting on Monday.
        page.get_by_role("button", name="Chọn ngày trên lịch").first.click()
        calendar = page.locator(".flatpickr-calendar.open")
        expect(calendar).to_be_visible()
        expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
        days = page.locator(OPEN_DAYS)
        new_year = days.nth(0)  # 01/01/2026: a public holiday, named
        expect(new_year).to_have_class(re.compile(r"\bholiday\b"))
        expect(new_year).to_have_attribute("title", "Tết Dương lịch")
        expect(days.nth(2)).to_have_class(re.compile(r"\bweekend\b"))  # Saturday 03/01/2026
        expect(days.nth(4)).not_to_have_class(re.compile(r"\bweekend\b|\bholiday\b"))  # Monday
        # The keyboard reaches the days: the chosen day has focus.
        assert page.evaluate("document.activeElement.classList.contains('flatpickr-day')")

        days.nth(14).click()  # 15/01/2026
        expect(box).to_have_value("15/01/2026")
        expect(calendar).to_have_count(0)
        expect(box).to_be_focused()
        page.locator('input[name="to"]').fill("5/2/2026")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url("**to=2026-02-05**")  # the list's address (app/proposals/lists.py) keeps ISO dates
        expect(page.locator('input[name="from"]')).to_have_value("15/01/2026")
        expect(page.locator('input[name="to"]')).to_have_value("05/02/2026")
    finally:
        context.close()


def test_date_box_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", java_script_enabled=False)
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        log_in(page, "vanphong.demo")
        page.goto("/proposals/")
        expect(page.locator(".date-picker-button")).to_have_count(0)
        page.locator('input[name="from"]').fill("5/1/2026")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator('input[name="from"]')).to_have_value("05/01/2026")
    finally:
        context.close()
