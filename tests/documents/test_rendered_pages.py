"""The documents as a person sees them: PDF pages (WeasyPrint) and Word files laid out by
LibreOffice, read back as words with positions and as pixels, for each header layout.

One Word-to-PDF conversion for all five layouts, shared by the module (LibreOffice takes seconds).
"""

import csv
from datetime import date
from pathlib import Path

import pytest

from app import create_app
from app.documents import headers
from app.documents.model import GroupRow, Report, Section, Table, build_header, recipient_lines
from app.documents.render import render_docx, render_html
from app.models import Unit
from tests.conftest import base_config
from tests.documents.rendered import dark_runs, docx_to_pdf, line_of, require, words

ON = date(2026, 12, 2)
DATE_LINE = {"commune": "Ia Boòng, ngày 02 tháng 12 năm 2026"}
LAYOUTS = {  # layout -> (unit code in the shipped list, or a commune's name)
    "state_body": "SXD", "party_advisory": "TU-VP", "tinh_uy": "TU", "ubnd_tinh": "UBND", "commune": "Xã Ia Boòng",
}
DATES = ["13/10/2026", "01/04/2027", "28/02/2027"]
LEFT_COLUMN_END_MM = 30 + 65  # left margin + the header's left column (Word); HTML: 40 % of 165 mm


def _unit(ref: str) -> Unit:
    if ref.startswith("Xã "):
        return Unit(code="99999", name=ref, kind="xa")
    with (Path(__file__).parents[2] / "app" / "data" / "provincial_bodies_52.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["code"] == ref)
    unit = Unit(code=ref, name=row["name"], kind=row["kind"])
    for column, value in headers.from_csv(row, 52).items():
        setattr(unit, column, value)
    return unit


def _report(ref: str, count: int) -> Report:
    issuer = headers.header_of(_unit(ref), 52)
    rows: list = [GroupRow(f"I. Giao thông ({count} kiến nghị)")]
    for n in range(1, count + 1):
        rows.append([str(n), f"Sửa chữa đường liên thôn số {n}, đoạn qua làng Kon Hrách, dài 3,5 km",
                     "Sở Xây dựng", DATES[n % 3], DATES[(n + 1) % 3]])
    table = Table(["TT", "Nội dung kiến nghị", "Đơn vị chủ trì", "Hạn trả lời", "Ngày trả lời"], rows,
                  [10, 70, 37, 24, 24], numeric={0})
    storage = "Lưu Văn phòng Tỉnh ủy" if issuer.party else f"Lưu: VT, {issuer.abbr}"
    return Report(
        header=build_header(issuer, ON), title="BÁO CÁO",
        subject="Kết quả giải quyết kiến nghị, đề xuất của các xã, phường tại Hội nghị giao ban",
        sections=[Section("Kết quả giải quyết", [f"Đến nay đã trả lời {count}/{count} kiến nghị."], table)],
        recipients=recipient_lines(["Thường trực Tỉnh ủy (để báo cáo)", "Các sở, ngành"], storage, party=issuer.party),
        signer_title="\n".join(issuer.signer), signer_name="Nguyễn Văn A",
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """layout -> (PDF made by WeasyPrint, PDF of the .docx made by LibreOffice, Report)."""
    require("pdftotext", "pdftoppm")
    folder = tmp_path_factory.mktemp("rendered")
    app = create_app(base_config(f"sqlite:///{folder / 'unused.sqlite3'}", folder))
    # The state body's table runs over two pages (its header row must repeat); the others' fit one.
    reports = {layout: _report(ref, 30 if layout == "state_body" else 3) for layout, ref in LAYOUTS.items()}
    pdfs, docx = {}, {}
    with app.test_request_context():
        from weasyprint import HTML

        for layout, report in reports.items():
            path = folder / f"{layout}-weasyprint.pdf"
            HTML(string=render_html(report, for_pdf=True)).write_pdf(path)
            pdfs[layout] = path
            docx[layout] = render_docx(report)
    word = docx_to_pdf(docx, folder / "word")
    return {layout: (pdfs[layout], word[layout], reports[layout]) for layout in LAYOUTS}


@pytest.mark.parametrize("maker", ["weasyprint", "libreoffice"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_header_number_date_and_rules_where_a_reader_expects_them(rendered, layout, maker):
    pdf = rendered[layout][0 if maker == "weasyprint" else 1]
    report = rendered[layout][2]
    header = report.header
    found = words(pdf)

    # The issuing body on the left, the motto on the right.
    for line in ([header.parent_body] if header.parent_body else []) + header.issuing_body.split("\n"):
        placed = line_of(found, line)
        assert max(w.x1 for w in placed) < LEFT_COLUMN_END_MM + 2, (line, placed)
    for line in header.national_lines:
        assert min(w.x0 for w in line_of(found, line)) > LEFT_COLUMN_END_MM - 2, line

    # The place-and-date line: on the right, on one line, never wrapped.
    date_words = line_of(found, header.place_date)
    assert len({round(w.y0) for w in date_words}) == 1, date_words
    assert date_words[0].x0 > LEFT_COLUMN_END_MM - 2 and date_words[-1].x1 < 210 - 15 + 1

    # The number: room to write it by hand between "Số:" and "/BC-…".
    mark = line_of(found, header.number_prefix)[0]
    suffix = next(w for w in found if w.page == 1 and w.text.endswith(header.number_suffix))
    assert abs(mark.y0 - suffix.y0) < 1 and suffix.x0 - mark.x1 >= 10, (mark, suffix)
    assert suffix.x1 < LEFT_COLUMN_END_MM + 2

    # The rule under the subject: a short centred line (ND 30) or five dashes (HD 36).
    subject_bottom = max(w.y1 for w in line_of(found, report.subject))
    if header.party:
        dashes = next(w for w in found if w.page == 1 and w.text == "-----")
        assert 0 < dashes.y0 - subject_bottom < 10 and abs((dashes.x0 + dashes.x1) / 2 - (30 + 165 / 2)) < 5
    else:
        rules = [(y, x0, x1) for y, x0, x1 in dark_runs(pdf)
                 if subject_bottom < y < subject_bottom + 10 and 25 <= x1 - x0 <= 85]
        assert rules, "no rule under the subject line"
        y, x0, x1 = rules[0]
        assert abs((x0 + x1) / 2 - (30 + 165 / 2)) < 5
    # The motto's rule: drawn under its last line, about as long as the line.
    motto = line_of(found, header.national_lines[-1])
    start, end = motto[0].x0, motto[-1].x1
    under = [(y, x0, x1) for y, x0, x1 in dark_runs(pdf)
             if motto[0].y1 - 1 < y < motto[0].y1 + 5 and abs(x0 - start) < 8 and abs(x1 - end) < 8]
    assert under, f"no rule under {header.national_lines[-1]!r}"


@pytest.mark.parametrize("maker", ["weasyprint", "libreoffice"])
def test_tables_keep_dates_and_numbers_whole_and_repeat_their_header(rendered, maker):
    pdf = rendered["state_body"][0 if maker == "weasyprint" else 1]
    found = words(pdf)
    texts = [w.text for w in found]
    for day in DATES:
        assert texts.count(day) == 20, (day, texts.count(day))  # every date whole, never "13/10/20 26"
    assert not any(t in ("T",) for t in texts)  # "TT" never "T / T"
    pages = max(w.page for w in found)
    assert pages >= 2
    for page in range(2, pages + 1):
        on_page = [w for w in found if w.page == page]
        if any(w.text in DATES for w in on_page):  # a page of the table: its header row on top
            first = min(on_page, key=lambda w: w.y0 if w.text != str(page) else 999)
            assert "TT" in [w.text for w in on_page if abs(w.y0 - first.y0) < 3], page
    # The last line of "Nơi nhận" ends with a full stop.
    assert "VT, SXD." in " ".join(texts)
