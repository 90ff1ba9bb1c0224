"""Forms that never lose work, in real Chromium: focus and a summary after an error, a draft
kept in the browser and offered back, list filters that match the address bar after Back."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in

TITLE = "Xây kè chống sạt lở bờ suối làng Ia Ptau (bản nháp trong trình duyệt)"


def test_validation_error_focuses_the_first_field_and_summarises(new_page):
    page = new_page()
    log_in(page, "xa.demo")
    page.goto("/proposals/new")
    page.get_by_label("Nội dung kiến nghị").fill("Nội dung đã gõ, chưa có tiêu đề.")
    page.get_by_role("button", name="Lưu nháp").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Chưa lưu được")
    expect(summary.get_by_role("link", name="Tiêu đề")).to_have_attribute("href", "#title")
    expect(page.get_by_label("Tiêu đề")).to_be_focused()
    expect(page.get_by_label("Nội dung kiến nghị")).to_have_value("Nội dung đã gõ, chưa có tiêu đề.")


def test_a_long_form_keeps_a_draft_and_offers_it_back(new_page):
    page = new_page()
    log_in(page, "xa.demo")
    page.goto("/proposals/new")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Nội dung kiến nghị").fill("Bờ suối sạt lở 200 m, đe dọa 15 hộ dân.")
    page.wait_for_timeout(700)  # the draft is written a moment after typing stops
    page.goto("/")  # the tab is left without saving (or the connection dropped)

    page.goto("/proposals/new")
    offer = page.locator("[data-draft-offer]")
    expect(offer).to_be_visible()
    expect(page.get_by_label("Tiêu đề")).to_have_value("")
    offer.get_by_role("button", name="Khôi phục nội dung đã gõ").click()
    expect(page.get_by_label("Tiêu đề")).to_have_value(TITLE)
    expect(page.get_by_label("Nội dung kiến nghị")).to_have_value("Bờ suối sạt lở 200 m, đe dọa 15 hộ dân.")
    expect(offer).to_have_count(0)

    page.get_by_label("Lĩnh vực").select_option(label="Giao thông")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp kiến nghị.")).to_be_visible()
    page.goto("/proposals/new")  # saved: nothing is offered any more
    expect(page.get_by_label("Tiêu đề")).to_be_visible()
    expect(page.locator("[data-draft-offer]")).to_have_count(0)


def test_list_filters_match_the_address_after_back(new_page):
    page = new_page()
    log_in(page, "vanphong.demo")
    page.goto("/proposals/")
    page.locator('select[name="state"]').select_option("assigned")
    page.wait_for_url("**/proposals/?state=assigned*")
    page.locator('select[name="timeliness"]').select_option("pending_overdue")
    page.wait_for_url("**timeliness=pending_overdue*")
    page.get_by_role("link", name="Trang chủ").click()
    page.wait_for_url("**/")
    page.go_back()
    page.wait_for_url("**timeliness=pending_overdue*")
    expect(page.locator('select[name="state"]')).to_have_value("assigned")
    expect(page.locator('select[name="timeliness"]')).to_have_value("pending_overdue")
    page.go_back()
    page.wait_for_url("**/proposals/?state=assigned")
    expect(page.locator('select[name="state"]')).to_have_value("assigned")
    expect(page.locator('select[name="timeliness"]')).to_have_value("")
