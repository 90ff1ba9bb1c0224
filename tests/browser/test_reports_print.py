"""Reports and the dashboard in a real browser: the print page on A4, downloads, htmx panels."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from app.documents.model import DEMO_MARK
from tests.browser.conftest import log_in


def _page(new_page, username):
    page = new_page()
    page.route("https://unpkg.com/**", lambda route: route.abort())  # offices may have no internet
    log_in(page, username)
    return page


def test_meeting_report_prints_on_a4_with_the_header_on_page_one(new_page):
    page = _page(new_page, "vanphong.demo")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    meeting_row = page.locator("#report-meeting tbody tr").filter(has_text="Hội nghị giao ban Thường trực Tỉnh ủy")
    meeting_row.get_by_role("link", name="Xem, in").first.click()
    expect(page.locator("h1.doc-title")).to_have_text("BÁO CÁO")
    expect(page.locator("table.doc-header")).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")

    page.emulate_media(media="print")
    expect(page.locator("nav.toolbar")).to_be_hidden()  # the toolbar does not print
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    # The demo meeting's 20 proposals take several pages.
    assert 3 <= len(reader.pages) <= 8, len(reader.pages)
    for pdf_page in reader.pages:
        box = pdf_page.mediabox
        assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    first = reader.pages[0].extract_text()
    for text in ("TỈNH ỦY GIA LAI", "VĂN PHÒNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "-BC/VPTU", "BÁO CÁO"):
        assert text in first, text
    assert "Gia Lai, ngày" in first
    # A demo database's report says so on every page, apart from the document's own lines.
    pages = [[line.replace(DEMO_MARK, "").strip() for line in p.extract_text().splitlines()] for p in reader.pages]
    pages = [[line for line in lines if line] for lines in pages]
    assert all(DEMO_MARK in p.extract_text() for p in reader.pages)
    # Page numbers centred at the top from page 2 (none on page 1); the table heading repeats.
    assert pages[0][0] == "TỈNH ỦY GIA LAI"
    for number, lines in enumerate(pages[1:], start=2):
        assert lines[0] == str(number) and lines[1].startswith("TT"), lines[:2]
    later = "\n".join(p.extract_text() for p in reader.pages[1:])
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in later  # the header block is printed once, on page 1
    assert "Nơi nhận:" in reader.pages[-1].extract_text()


def test_toolbar_downloads_word_and_pdf_with_vietnamese_names(new_page):
    page = _page(new_page, "lanhdao.demo")
    page.goto("/reports/")
    page.locator("#report-weekly").get_by_role("button", name="Lập báo cáo").click()
    expect(page.locator("p.doc-subject")).to_contain_text("Tổng hợp tình hình kiến nghị và thực hiện chỉ đạo trong tuần")
    report_url = page.url
    # Word and PDF are document jobs: the button leads to the job's page, which downloads the file.
    with page.expect_download(timeout=60000) as word:
        page.get_by_role("button", name="Tải Word (.docx)").click()
    assert re.fullmatch(r"Báo cáo tuần \d\d-\d\d-\d{4} - \d\d-\d\d-\d{4}\.docx", word.value.suggested_filename)
    page.goto(report_url)
    with page.expect_download(timeout=60000) as pdf:
        page.get_by_role("button", name="Tải PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_dashboard_period_swaps_the_panels_and_keeps_the_url(new_page):
    page = _page(new_page, "lanhdao.demo")
    expect(page.locator('[data-panel="dashboard"]')).to_be_visible()
    page.get_by_role("button", name="Mở bảng điều hành").click()  # a link styled as a button
    expect(page.locator("#dashboard-panels")).to_contain_text("Tháng này:")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Kỳ báo cáo").select_option("quarter")
    expect(page).to_have_url(re.compile(r"/dashboard/\?period=quarter$"))
    expect(page.locator("#dashboard-panels")).to_contain_text("Quý này:")
    assert page.evaluate("window.stillTheSamePage") is True, "the panels should swap in place"
    assert page.locator("#chart-tasks title").first.text_content() == "Nhiệm vụ theo năm nhóm tình trạng"
    # A number leads to the list that makes it up.
    overdue = page.locator('#dash-five-way tr[data-status="open_overdue"] a')
    count = overdue.text_content()
    overdue.click()
    expect(page.locator("#assignment-list")).to_contain_text(f"{count} nhiệm vụ")
    page.go_back()
    expect(page.locator("#dashboard-panels")).to_contain_text("Quý này:")
