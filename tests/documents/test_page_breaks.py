"""Where the PDF breaks its pages, as a reader turns them: a group heading never stands alone at
the foot of a page, and no page is left half empty before a table, a section or the signature.

One long report shaped as the meeting report (proposals grouped by field, seven columns), then the
follow-up report's five-way counts and per-directive table (one row of 90 units' names, taller
than half a page), is laid out by WeasyPrint once for the module and read back with pdftotext -bbox.
"""

from datetime import date

import pytest

from app import create_app
from app.directives import status
from app.documents import headers
from app.documents.model import GroupRow, Report, Section, Table, build_header, recipient_lines
from app.documents.render import MARGINS_MM, render_html, tall_row
from app.reports.builders import five_way_section, roman
from tests.conftest import base_config
from tests.documents.rendered import require, words
from tests.documents.test_rendered_pages import _unit

# Group sizes and row heights chosen so that, laid out without the keep-with-next rule, headings
# do fall on the last line of a page (checked when the test was written: removing the rule fails it).
SIZES = [3, 5, 2, 7, 1, 4, 6, 2, 3, 5, 1, 8, 2, 4, 3, 6, 2, 5, 3, 4, 1, 2]
PAGE_MM = 297
CONTENT_TOP_MM = MARGINS_MM["top"]
CONTENT_BOTTOM_MM = PAGE_MM - MARGINS_MM["bottom"]
FILLED_AT_LEAST = 0.6  # of the content box's height, on every page but the last


def _content(group: int, n: int) -> str:
    """A proposal's content cell, one to five lines long; K<group>-<n>. marks the row."""
    return f"K{group}-{n}. Sửa chữa đường liên thôn" + " qua làng Kon Hrách" * ((group + n) % 5)


def _per_directive_section() -> Section:
    """Shaped as the follow-up report's: a directive, then its units by state; the units that
    have not reported make one row taller than half a page (90 communes' names)."""
    names = ", ".join(f"Xã Ia Kriêng {n} ({n % 9 + 1} ngày)" for n in range(1, 91))
    rows = [GroupRow("1. Triển khai kế hoạch chuyển đổi số năm 2026 (thời hạn 31/12/2026; hoàn thành 12/102 đơn vị)"),
            ["Hoàn thành đúng hạn", "12", "Sở Xây dựng, Sở Tài chính"],
            ["Đang thực hiện quá hạn", "90", names],
            ["Chưa báo cáo", "0", "—"]]
    table = Table(["Tình hình", "Số đơn vị", "Đơn vị"], rows, [40, 20, 105], numeric={1})
    return Section("Tình hình thực hiện từng chỉ đạo", ["Số ngày trong ngoặc là số ngày quá hạn."], table)


def _long_report() -> Report:
    issuer = headers.header_of(_unit("SXD"), 52)
    rows: list = []
    for g, size in enumerate(SIZES, 1):
        rows.append(GroupRow(f"{roman(g)}. Lĩnh vực thứ {g} ({size} kiến nghị)"))
        for n in range(1, size + 1):
            rows.append([str(n), "Xã Ia Boòng", _content(g, n), "Sở Xây dựng", "", "", "Đã chuyển xử lý"])
    table = Table(["TT", "Xã, phường", "Nội dung kiến nghị", "Đơn vị chủ trì", "Trả lời", "Kết quả", "Trạng thái"],
                  rows, [10, 21, 60, 21, 14, 20, 19], numeric={0})
    counts = status.count_keys([status.DONE_ON_TIME] * 30 + [status.DONE_LATE] * 4 + [status.OPEN_OVERDUE] * 2
                                + [status.OPEN_ON_TIME] * 9)
    return Report(
        header=build_header(issuer, date(2026, 12, 2)), title="BÁO CÁO",
        subject="Kết quả giải quyết kiến nghị, đề xuất của các xã, phường tại Hội nghị giao ban",
        intro=["Các xã, phường đã kiến nghị, đề xuất nhiều nội dung thuộc nhiều lĩnh vực. Kết quả như sau:"],
        sections=[
            Section("Kết quả giải quyết kiến nghị theo lĩnh vực", [], table),
            five_way_section("Tình hình thực hiện nhiệm vụ", counts, ["Tổng hợp theo tình trạng nhiệm vụ:"]),
            _per_directive_section(),
            Section("Đề xuất", ["Đề nghị các sở, ngành tiếp tục giải quyết dứt điểm các kiến nghị còn lại."] * 3),
        ],
        recipients=recipient_lines(["Thường trực UBND tỉnh (để báo cáo)", "Các sở, ngành"], "Lưu: VT, SXD",
                                   party=False),
        signer_title="GIÁM ĐỐC", signer_name="Nguyễn Văn A",
    )


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """(words of the PDF, number of pages) of the long report laid out by WeasyPrint."""
    require("pdftotext")
    folder = tmp_path_factory.mktemp("page-breaks")
    app = create_app(base_config(f"sqlite:///{folder / 'unused.sqlite3'}", folder))
    with app.test_request_context():
        from weasyprint import HTML

        path = folder / "long-report.pdf"
        HTML(string=render_html(_long_report(), for_pdf=True)).write_pdf(path)
    found = [w for w in words(path) if w.y0 > CONTENT_TOP_MM]  # the page number stands in the margin
    return found, max(w.page for w in found)


def _page_of(found, text: str) -> int:
    pages = {w.page for w in found if w.text == text}
    assert len(pages) == 1, (text, pages)
    return pages.pop()


def test_a_group_heading_is_never_alone_at_the_foot_of_a_page(laid_out):
    found, pages = laid_out
    assert pages >= 5  # long enough for headings to meet page ends
    alone = []
    for g in range(1, len(SIZES) + 1):
        heading, first_row = _page_of(found, f"{roman(g)}."), _page_of(found, f"K{g}-1.")
        if heading != first_row:
            alone.append((roman(g), heading, first_row))
    assert not alone, f"group headings left at the foot of a page, their first row on the next: {alone}"


def test_no_page_is_left_half_empty_before_a_table_or_a_section(laid_out):
    found, pages = laid_out
    height = CONTENT_BOTTOM_MM - CONTENT_TOP_MM
    for page in range(1, pages):
        bottom = max(w.y1 for w in found if w.page == page)
        assert bottom - CONTENT_TOP_MM >= FILLED_AT_LEAST * height, (
            f"page {page} of {pages} ends at {bottom:.0f} mm, its content box at {CONTENT_BOTTOM_MM} mm")
    # Every part of the report is there, the signature block last.
    texts = " ".join(w.text for w in found)
    assert "Tổng số nhiệm vụ được giao" in texts and "Đề xuất" in texts
    assert texts.count("Kriêng") == 90  # the tall row, run over two pages, loses no name
    assert _page_of(found, "GIÁM") == pages


def test_only_a_row_taller_than_a_quarter_page_may_split():
    widths = [40, 20, 105]
    assert tall_row(_per_directive_section().table.rows[2], widths)  # 90 units' names
    assert not tall_row(["Hoàn thành đúng hạn", "12", "Sở Xây dựng, Sở Tài chính"], widths)
    assert not tall_row(["1", "Xã Ia Boòng", _content(3, 2), "Sở Xây dựng", "", "", "Đã chuyển xử lý"],
                        [10, 21, 60, 21, 14, 20, 19])


def test_the_word_file_keeps_short_rows_whole_and_lets_the_tall_row_run_over(tmp_path):
    """Word moves a cantSplit row whole to the next page: the 90 names' row must not carry it, or it
    would leave most of a page blank behind it; every other row keeps it, the header row repeats."""
    import io

    from docx import Document

    from app.documents.render import render_docx

    app = create_app(base_config(f"sqlite:///{tmp_path / 'unused.sqlite3'}", tmp_path))
    with app.test_request_context():
        document = Document(io.BytesIO(render_docx(_long_report())))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    per_directive = next(t for t in document.tables if t.rows[0].cells[0].text == "Tình hình")
    kept = {row.cells[-1].text[:20]: row._tr.find(f"{ns}trPr/{ns}cantSplit") is not None for row in per_directive.rows}
    assert kept == {"Đơn vị": True, "1. Triển khai kế hoạ": True, "Sở Xây dựng, Sở Tài ": True,
                    "Xã Ia Kriêng 1 (2 ng": False, "—": True}
    assert per_directive.rows[0]._tr.find(f"{ns}trPr/{ns}tblHeader") is not None
