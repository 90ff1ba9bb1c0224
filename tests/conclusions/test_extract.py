"""Reading a notice's text out of Word and PDF files."""

import io

import pytest

from app.conclusions import extract


def _docx(build) -> bytes:
    from docx import Document

    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_header_table_and_levels_of_automatic_numbering(app):
    def build(document):
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "TỈNH ỦY GIA LAI\nSố 412-TB/TU"
        table.cell(0, 1).text = "Gia Lai, ngày 26 tháng 9 năm 2025"
        document.add_paragraph("Đối với các xã, phường:", style="List Number")
        for text in ("Rà soát biên chế.", "Kiện toàn bộ máy."):
            sub_item = document.add_paragraph(text, style="List Number")
            sub_item.paragraph_format.element.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 1
        document.add_paragraph("Sở Nội vụ tổng hợp.", style="List Number")

    with app.test_request_context():
        text = extract.text_of("docx", _docx(build))
    lines = text.splitlines()
    assert "Số 412-TB/TU" in text and "ngày 26 tháng 9 năm 2025" in text
    assert lines[-4:] == ["1. Đối với các xã, phường:", "a) Rà soát biên chế.", "b) Kiện toàn bộ máy.", "2. Sở Nội vụ tổng hợp."]


def test_pdf_lines_wrapped_inside_a_paragraph_are_joined_items_are_not():
    raw = "1. Giao Sở Nội vụ chủ trì rà soát\nbiên chế còn thiếu; hoàn thành trước\nngày 30/10/2025.\n2. Sở Y tế làm B.\nTHÔNG BÁO\nKẾT LUẬN"
    assert extract.unwrap(raw).splitlines() == [
        "1. Giao Sở Nội vụ chủ trì rà soát biên chế còn thiếu; hoàn thành trước ngày 30/10/2025.",
        "2. Sở Y tế làm B.",
        "THÔNG BÁO",
        "KẾT LUẬN",
    ]


def test_a_pdf_without_text_asks_for_the_text_to_be_pasted(app):
    from weasyprint import HTML

    blank = HTML(string="<html><body><div style='height: 3cm; background: #000'></div></body></html>").write_pdf()
    with app.test_request_context(), pytest.raises(extract.ExtractError) as error:
        extract.text_of("pdf", blank)
    assert "dán nội dung" in str(error.value)


def test_only_word_and_pdf_are_read(app):
    with app.test_request_context(), pytest.raises(extract.ExtractError) as error:
        extract.text_of("xlsx", b"PK\x03\x04")
    assert "dán nội dung vào ô bên dưới" in str(error.value)
