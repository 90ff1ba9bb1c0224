"""Grouped tables, a commune's header and the default signer, in HTML and Word."""

import io
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from app.documents.headers import header_of
from app.documents.model import GroupRow, Report, Section, Table, build_header
from app.documents.render import render_docx, render_html
from app.extensions import db
from app.models import Unit


@pytest.fixture
def unit(app):
    def get(ref):
        with app.app_context():
            found = db.session.scalar(select(Unit).where((Unit.code == ref) | (Unit.name == ref)))
            db.session.expunge(found)
            return found

    return get


def grouped_report(issuer) -> Report:
    table = Table(
        columns=["TT", "Xã, phường", "Nội dung"],
        rows=[GroupRow("I. Giao thông (2 kiến nghị)"), ["1", "Xã Ia Boòng", "Đường liên thôn"],
              ["2", "Phường Pleiku", "Cầu tràn"], GroupRow("II. Thủy lợi (1 kiến nghị)"), ["1", "Xã Chư Păh", "Kênh mương"]],
        widths_mm=[15, 50, 100],
        numeric={0},
    )
    return Report(
        header=build_header(header_of(issuer, 52), date(2026, 1, 5)), title="BÁO CÁO", subject="Kiến nghị",
        sections=[Section("Theo lĩnh vực", [], table)], recipients=["Lưu VT"],
        signer_title="\n".join(header_of(issuer, 52).signer),
    )


def test_group_rows_span_the_table_in_html_and_word(app, unit):
    report = grouped_report(unit("SXD"))
    with app.test_request_context():
        html = render_html(report)
        data = render_docx(report)
    assert '<tr class="group"><td colspan="3">I. Giao thông (2 kiến nghị)</td></tr>' in html
    table = Document(io.BytesIO(data)).tables[1]
    assert len(table.rows) == 1 + 5
    group = table.rows[1]
    assert {cell.text for cell in group.cells} == {"I. Giao thông (2 kiến nghị)"}  # one merged cell
    assert 'w:gridSpan w:val="3"' in group._tr.xml
    assert round(group.cells[0].width.mm) == 165  # the merged cell is as wide as the columns it spans
    assert group.cells[0].paragraphs[0].runs[0].bold
    assert [c.text for c in table.rows[2].cells] == ["1", "Xã Ia Boòng", "Đường liên thôn"]
    assert table.rows[4].cells[0].text == "II. Thủy lợi (1 kiến nghị)"


@pytest.mark.parametrize(
    ("ref", "title"),
    [
        ("TU-VP", "CHÁNH VĂN PHÒNG"),
        ("SXD", "GIÁM ĐỐC"),
        ("Xã Ia Boòng", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"),
    ],
)
def test_default_signer_is_the_head_of_the_issuing_body(unit, ref, title):
    assert "\n".join(header_of(unit(ref), 52).signer) == title


def test_a_commune_reports_as_its_peoples_committee(app, unit):
    commune = unit("Xã Ia Boòng")
    header = build_header(header_of(commune, 52), date(2026, 1, 5))
    assert header.parent_body == "" and header.issuing_body == "ỦY BAN NHÂN DÂN\nXÃ IA BOÒNG"
    assert header.number_line.endswith("/BC-UBND") and header.place_date == "Ia Boòng, ngày 05 tháng 01 năm 2026"
    report = grouped_report(commune)
    with app.test_request_context():
        html = render_html(report)
        document = Document(io.BytesIO(render_docx(report)))
    assert '<div class="upper bold">ỦY BAN NHÂN DÂN</div><div class="upper bold">XÃ IA BOÒNG</div>' in html
    left = document.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs][:2] == ["ỦY BAN NHÂN DÂN", "XÃ IA BOÒNG"]
    assert all(run.bold for p in left.paragraphs[:2] for run in p.runs)
    signer = document.tables[-1].rows[0].cells[1]
    assert [p.text for p in signer.paragraphs][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
