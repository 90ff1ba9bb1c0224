"""A document job in a real browser: the button, the progress bar, the file downloading itself."""

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in


def test_the_meeting_report_pdf_shows_progress_and_downloads_itself(new_page):
    page = new_page()
    page.route("https://unpkg.com/**", lambda route: route.abort())  # offices may have no internet
    log_in(page, "vanphong.demo")
    page.goto("/reports/")
    row = page.locator("#report-meeting tbody tr").filter(has_text="Hội nghị giao ban Thường trực Tỉnh ủy").first

    with page.expect_download(timeout=60000) as download:
        row.locator("td").nth(1).get_by_role("button", name="PDF").click()
        expect(page).to_have_url(re.compile(r"/documents/jobs/\d+\?asked=[0-9a-f]+$"))
        status = page.locator("#document-job [role=status]")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(page.locator("#document-job progress")).to_be_visible()

    assert download.value.suggested_filename.startswith("Báo cáo kiến nghị ")
    assert download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.value.path())
    assert "BÁO CÁO" in reader.pages[0].extract_text()
    # Once made, the page says so and keeps the link; asking again is served from the kept file.
    expect(page.locator("#document-job")).to_contain_text("Đã tạo xong tệp.")
    job_url = page.url
    page.goto("/reports/")
    with page.expect_download(timeout=10000) as again:
        row.locator("td").nth(1).get_by_role("button", name="PDF").click()
    assert page.url.split("?")[0] == job_url.split("?")[0] and again.value.suggested_filename == download.value.suggested_filename


def test_a_small_list_export_downloads_at_once_and_the_list_stays(new_page):
    page = new_page()
    page.route("https://unpkg.com/**", lambda route: route.abort())
    log_in(page, "vanphong.demo")
    page.goto("/proposals/?state=assigned")
    with page.expect_download(timeout=20000) as download:
        page.get_by_role("button", name="Tải Excel").first.click()
    assert download.value.suggested_filename.startswith("Danh sách kiến nghị ")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "/proposals/" in page.url and "/documents/jobs/" not in page.url  # no progress page
