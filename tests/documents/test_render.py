"""The official layout in HTML, PDF and Word, from one Report."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.documents.model import Report, Section, Table, build_header
from app.documents.render import render_docx, render_html, render_pdf
from app.documents.xlsx import build_xlsx
from app.extensions import db
from app.models import Unit


def make_report(unit, rows=3) -> Report:
    header = build_header(unit, 52, date(2026, 1, 5))
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
    state_header = build_header(state, 52, date(2026, 1, 5))
    assert state_header.national_lines == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert state_header.issuing_body == "VĂN PHÒNG UBND TỈNH"
    assert state_header.number_line.startswith("Số:") and state_header.number_line.endswith("/BC-UB-VP")
    assert state_header.place_date == "Gia Lai, ngày 05 tháng 01 năm 2026"
    party_header = build_header(party, 52, date(2025, 9, 24))
    assert party_header.national_lines == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    assert party_header.parent_body == "ĐẢNG BỘ TỈNH GIA LAI"
    assert party_header.number_line.endswith("-BC/TU")
    assert party_header.place_date == "Gia Lai, ngày 24 tháng 9 năm 2025"


def test_html_has_header_block_title_and_fonts(app, units):
    with app.test_request_context():
        html = render_html(make_report(units[1]))
    assert 'class="doc-header" data-layout="state"' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "size: A4 portrait" in html and "margin: 20mm 15mm 20mm 30mm" in html
    assert "/static/fonts/LiberationSerif-Regular.ttf" in html
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
    assert "ĐẢNG BỘ TỈNH GIA LAI" in left_text and "VĂN PHÒNG TỈNH ỦY" in left_text
    assert header.rows[0].cells[1].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
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
    data = build_xlsx(
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
