"""The official layout in HTML, PDF and Word, from one Report."""

import gc
import io
import re
from datetime import UTC, date, datetime

import docx.document
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.documents.headers import header_of
from app.documents.model import GroupRow, Report, Section, Table, build_header
from app.documents.render import (
    CellWriter,
    _fixed_table,
    _set_cell,
    render_docx,
    render_html,
    render_pdf,
)
from app.extensions import db
from app.models import Unit
from tests.documents.workbooks import xlsx_bytes


def make_report(unit, rows=3) -> Report:
    header = build_header(header_of(unit, 52), date(2026, 1, 5))
    table = Table(
        columns=["TT", "Xã, phường", "Nội dung", "Số tiền (đồng)"],
        rows=[[str(i), "Xã Ia Boòng", f"Xây dựng trụ sở làm việc số {i}", "1.500.000.000"] for i in range(1, rows + 1)],
        widths_mm=[12, 40, 80, 33],
        total_row=["", "Tổng cộng", "", "4.500.000.000"],
        numeric={0, 3},
    )
    return Report(
        header=header,
        title="BÁO CÁO",
        subject="Kết quả giải quyết kiến nghị của các xã, phường",
        intro=["Thực hiện chỉ đạo của Thường trực Tỉnh ủy, Văn phòng báo cáo như sau:"],
        sections=[Section("Tình hình tiếp nhận", ["Đã tiếp nhận 293.275 hồ sơ."], table), Section("Kiến nghị, đề xuất", ["Ưu tiên trường học, trạm y tế."])],
        recipients=["Thường trực Tỉnh ủy", "Lưu VT"],
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="Nguyễn Văn Ơn",
    )


@pytest.fixture
def units(app):
    with app.app_context():
        party = db.session.scalar(select(Unit).where(Unit.code == "TU-VP"))
        state = db.session.scalar(select(Unit).where(Unit.code == "UB-VP"))
        db.session.expunge_all()
    return party, state


def test_state_and_party_headers(units):
    party, state = units
    state_header = build_header(header_of(state, 52), date(2026, 1, 5))
    assert state_header.national_lines == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert (state_header.parent_body, state_header.issuing_body) == ("UBND TỈNH GIA LAI", "VĂN PHÒNG")
    assert state_header.number_line.startswith("Số:") and state_header.number_line.endswith("/BC-VPUBND")
    assert state_header.place_date == "Gia Lai, ngày 05 tháng 01 năm 2026"
    party_header = build_header(header_of(party, 52), date(2025, 9, 24))
    assert party_header.national_lines == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    assert (party_header.parent_body, party_header.issuing_body) == ("TỈNH ỦY GIA LAI", "VĂN PHÒNG")
    assert party_header.number_line.startswith("Số\u00a0") and party_header.number_line.endswith("-BC/VPTU")
    assert party_header.place_date == "Gia Lai, ngày 24 tháng 9 năm 2025"


def test_html_has_header_block_title_and_fonts(app, units):
    with app.test_request_context():
        html = render_html(make_report(units[1]))
    assert 'class="doc-header" data-layout="state"' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "size: A4 portrait" in html and "margin: 20mm 15mm 20mm 30mm" in html
    assert re.search(r"/static/fonts/LiberationSerif-Regular\.[0-9a-f]{12}\.ttf", html)
    assert "@page :first" in html
    assert "1. Tình hình tiếp nhận" in html and "2. Kiến nghị, đề xuất" in html


def test_docx_page_fonts_header_and_table(app, units):
    with app.test_request_context():
        data = render_docx(make_report(units[0]))
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header.paragraphs[0]._p.xml
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13
    header = document.tables[0]
    left_text = header.rows[0].cells[0].text
    assert left_text.startswith("TỈNH ỦY GIA LAI\nVĂN PHÒNG\n*")
    assert header.rows[0].cells[1].text.rstrip() == "ĐẢNG CỘNG SẢN VIỆT NAM"  # then its drawn rule
    motto = header.rows[0].cells[1]
    assert '<w:u w:val="single"' not in motto._tc.xml and '<w:bottom w:val="single"' in motto._tc.xml  # a rule, not an underline
    assert header.rows[1].cells[1].text == "Gia Lai, ngày 05 tháng 01 năm 2026"
    assert header.rows[1].cells[1].paragraphs[0].runs[0].italic
    # Column and cell widths are both set, so Word and LibreOffice agree.
    assert round(header.columns[0].width.mm) == 65 and round(header.rows[0].cells[0].width.mm) == 65
    data_table = document.tables[1]
    assert [c.text for c in data_table.rows[0].cells] == ["TT", "Xã, phường", "Nội dung", "Số tiền (đồng)"]
    assert len(data_table.rows) == 1 + 3 + 1
    assert data_table.rows[-1].cells[3].text == "4.500.000.000"
    assert round(data_table.rows[1].cells[0].width.mm) == 12
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "1. Tình hình tiếp nhận" in texts
    closing = document.tables[2]
    assert "Nơi nhận:" in closing.rows[0].cells[0].text and "CHÁNH VĂN PHÒNG" in closing.rows[0].cells[1].text


def test_pdf_is_a4_with_header_on_page_one_and_numbers_from_page_two(app, units):
    with app.test_request_context():
        data = render_pdf(make_report(units[1], rows=60))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    first = reader.pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "BÁO CÁO" in first
    assert "Xã Ia Boòng" in first  # Vietnamese letters survive: the shipped font has them
    second = reader.pages[1].extract_text()
    assert "2" in second.splitlines() and "1" not in first.splitlines()
    assert "TT" in second.splitlines()[0]  # the table's heading row repeats on every page
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("+GB-Serif") for name in fonts), fonts  # the shipped font, embedded


def test_xlsx_has_title_filters_header_and_typed_cells():
    data = xlsx_bytes(
        "Danh sách kiến nghị",
        [("Số", 6), ("Tiêu đề", 40), ("Ngày gửi", 12), ("Số tiền", 16)],
        ([i, f"Kiến nghị {i}", date(2025, 9, 24), 1500000000] for i in range(1, 4)),
        filter_lines=["Lĩnh vực: Giao thông", "Trạng thái: Đã gửi"],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Danh sách kiến nghị" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Lĩnh vực: Giao thông"
    assert [c.value for c in sheet[4]] == ["Số", "Tiêu đề", "Ngày gửi", "Số tiền"]
    assert sheet["C5"].number_format == "dd/mm/yyyy" and sheet["C5"].value.year == 2025
    assert sheet["D7"].value == 1500000000 and sheet.max_row == 7


# Texts a cell may hold: plain, empty, spaces python-docx must keep, tabs and line breaks.
CELL_TEXTS = ["Xã Ia Boòng", "", " Đầu có dấu cách", "Cuối có dấu cách ", "Dòng 1\nDòng 2", "Cột\tsau tab",
              "1.500.000.000", "Xuống dòng\r\nkiểu Windows"]


@pytest.mark.parametrize("align", [None, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER])
@pytest.mark.parametrize("bold", [False, True])
def test_cell_writer_makes_the_same_xml_as_python_docx(bold, align):
    """The big tables copy each format's paragraph: every cell must be what _set_cell makes."""
    widths = [30] * len(CELL_TEXTS)
    document = Document()
    expected = _fixed_table(document, 3, widths, borders=True)
    actual = _fixed_table(document, 3, widths, borders=True)
    fill = CellWriter()
    for expected_row, actual_row in zip(expected.rows, actual.rows, strict=True):
        for expected_cell, actual_cell, text in zip(expected_row.cells, actual_row.cells, CELL_TEXTS, strict=True):
            _set_cell(expected_cell, text, bold=bold, align=align)
            fill(actual_cell, text, bold=bold, align=align)
    assert actual._tbl.xml == expected._tbl.xml
    assert actual.rows[2].cells[4].text == "Dòng 1\nDòng 2"


def test_a_long_word_table_keeps_every_row_in_order_with_its_groups_and_total(app, units):
    """300 rows (a big meeting): each row's cells in their place, groups merged, the total bold."""
    report = make_report(units[1], rows=300)
    table = report.sections[0].table
    table.rows.insert(150, GroupRow("II. Giao thông (150 kiến nghị)"))
    with app.test_request_context():
        document = Document(io.BytesIO(render_docx(report)))
    rows = document.tables[1].rows
    assert len(rows) == 1 + 301 + 1
    assert [c.text for c in rows[1].cells] == ["1", "Xã Ia Boòng", "Xây dựng trụ sở làm việc số 1", "1.500.000.000"]
    assert {c.text for c in rows[151].cells} == {"II. Giao thông (150 kiến nghị)"}
    assert [c.text for c in rows[301].cells] == ["300", "Xã Ia Boòng", "Xây dựng trụ sở làm việc số 300", "1.500.000.000"]
    assert rows[301].cells[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert rows[301].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not any(run.bold for run in rows[301].cells[2].paragraphs[0].runs)
    assert all(run.bold for cell in rows[-1].cells for run in cell.paragraphs[0].runs)
    assert all(run.font.size.pt == 12 for row in (rows[0], rows[200]) for c in row.cells for run in c.paragraphs[0].runs)


def test_xlsx_styles_every_row_like_the_first():
    """Styles are made once per kind of value and copied: a late row looks like the first."""
    hostile = '=HYPERLINK("http://evil.example/","Bấm vào đây")'
    data = xlsx_bytes(
        "Danh sách kiến nghị",
        [("Số", 6), ("Tiêu đề", 40), ("Ngày gửi", 12), ("Đã gửi lúc", 12), ("Tỷ lệ", 8), ("Ghi chú", 20)],
        ([i, hostile if i == 300 else f"Kiến nghị {i}", date(2025, 9, 24), datetime(2025, 9, 24, 8, 30, tzinfo=UTC),
          0.5, None] for i in range(1, 301)),
    )
    sheet = load_workbook(io.BytesIO(data)).active
    first, last = sheet[3], sheet[302]
    assert [c.value for c in last[:3]] == [300, hostile, datetime(2025, 9, 24)]
    assert last[1].data_type == "s"  # text, never a formula Excel would run
    for a, b in zip(first, last, strict=True):  # the same cell format (xf) and type, column by column
        assert (a.style_id, a.number_format, a.data_type) == (b.style_id, b.number_format, b.data_type)
    assert last[0].number_format == "#,##0" and last[2].number_format == last[3].number_format == "dd/mm/yyyy"
    assert last[1].alignment.wrap_text and last[1].alignment.vertical == "top"
    assert last[5].value is None


def test_word_rendering_frees_its_documents_at_once(app, units):
    """python-docx objects are reference cycles holding the whole XML: a worker rendering big
    meetings must not keep them until the collector's next full pass (+30 MB after a few)."""
    gc.collect()  # earlier tests' documents (opened to read them back) are not this test's
    with app.test_request_context():
        for _ in range(3):
            render_docx(make_report(units[0], rows=100))
    alive = [o for o in gc.get_objects() if isinstance(o, docx.document.Document)]
    assert alive == []


def test_control_characters_saved_before_cleaning_do_not_break_word_or_excel(app, units):
    """lxml and openpyxl refuse a whole document for one character XML cannot hold."""
    report = make_report(units[0])
    report.subject = "Kết quả\x07 giải quyết\x0b kiến nghị"
    report.sections[0].paragraphs = ["Đã tiếp nhận\x1b 293 hồ sơ.\x00"]
    report.sections[0].table.rows[0][2] = "Trụ sở\x08 xã"
    report.recipients = ["Lưu\x0c VT"]
    with app.test_request_context():
        document = Document(io.BytesIO(render_docx(report)))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả giải quyết kiến nghị" in words and "Đã tiếp nhận 293 hồ sơ." in words
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Trụ sở xã" in cells and any("Lưu VT" in text for text in cells)

    data = xlsx_bytes("Danh sách\x07", [("Tiêu đề\x1f", 40)], [["Cầu\x0b treo\x00"]], filter_lines=["Tìm kiếm: “a\x07”"])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value, sheet["A4"].value] == [
        "Danh sách", "Tìm kiếm: “a”", "Tiêu đề", "Cầu treo"]
