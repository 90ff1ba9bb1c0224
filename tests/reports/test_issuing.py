"""Printing a report in the name of a chosen body (the Tỉnh ủy, the UBND tỉnh), with the
signer's title and name; the period a report covers ends on the day it is made."""

from sqlalchemy import select

from app import clock
from app.dashboard import period as periods
from app.extensions import db
from app.formatting import format_date
from app.models import Unit, User
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, table_texts


def _unit_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.code == code))


def _move_coordinator(app, code: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "vanphong"))
        user.unit_id = db.session.scalar(select(Unit.id).where(Unit.code == code))
        db.session.commit()


def test_the_party_office_issues_as_the_tinh_uy_with_its_signer(app, seeded, as_user):
    tinh_uy = _unit_id(app, "TU")
    query = f"{seeded['query']}&issuer={tinh_uy}&signer_title=T/M BAN THƯỜNG VỤ%0APHÓ BÍ THƯ&signer_name=Nguyễn Văn A"
    document = docx_of(fetch_document(as_user("coordinator"), f"/reports/directives.docx?{query}"))
    header = table_texts(document.tables[0])
    assert header[0][0].splitlines() == ["ĐẢNG BỘ TỈNH GIA LAI", "TỈNH ỦY", "*"]
    assert header[1][0].startswith("Số\u00a0") and header[1][0].endswith("-BC/TU")
    closing = document.tables[-1].rows[0].cells
    assert [p.text for p in closing[1].paragraphs if p.text] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn A"]
    recipients = [p.text for p in closing[0].paragraphs]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu Văn phòng Tỉnh ủy."
    assert all(line.endswith(",") for line in recipients[1:-1])


def test_the_ubnd_office_issues_as_the_ubnd_tm_uy_ban_nhan_dan(app, seeded, as_user):
    _move_coordinator(app, "UB-VP")
    client = as_user("coordinator")
    index = client.get("/reports/").get_data(as_text=True)
    ubnd = _unit_id(app, "UBND")
    assert f'<option value="{ubnd}">Ủy ban nhân dân tỉnh Gia Lai</option>' in index
    page = client.get(f"/reports/directives?{seeded['query']}&issuer={ubnd}").get_data(as_text=True)
    assert 'data-layout="state"' in page and "ỦY BAN NHÂN DÂN</div>" in page and "TỈNH GIA LAI</div>" in page
    assert "/BC-UBND" in page and "TM. ỦY BAN NHÂN DÂN" in page and "- Lưu: VT, VPUBND." in page
    # Its own name: the office's header, its own number symbol, the head of the office signs.
    own = docx_of(fetch_document(client, f"/reports/directives.docx?{seeded['query']}"))
    assert table_texts(own.tables[0])[0][0].splitlines()[:2] == ["UBND TỈNH GIA LAI", "VĂN PHÒNG"]
    assert table_texts(own.tables[0])[1][0].endswith("/BC-VPUBND") and "CHÁNH VĂN PHÒNG" in doc_text(own)


def test_a_body_the_unit_does_not_draft_for_is_refused(app, seeded, as_user):
    client = as_user("coordinator")  # Văn phòng Tỉnh ủy
    assert client.get(f"/reports/directives?{seeded['query']}&issuer={_unit_id(app, 'UBND')}").status_code == 400
    assert client.get(f"/reports/weekly?issuer={_unit_id(app, 'SXD')}").status_code == 400
    assert client.get("/reports/weekly?issuer=abc").status_code == 400
    assert client.get("/reports/weekly?signer_name=" + "A" * 121).status_code == 400
    assert client.get("/reports/weekly?issuer=").status_code == 200


def test_a_period_not_over_yet_is_covered_up_to_the_day_the_report_is_made(seeded, as_user):
    today = clock.today()
    start, end = periods.unit_bounds(periods.MONTH, today)
    page = as_user("leader").get("/reports/directives?period=month").get_data(as_text=True)
    covered = f"từ ngày {format_date(start)} đến ngày {format_date(today)}"
    assert f"Tình hình thực hiện các chỉ đạo {covered}" in page
    if end != today:
        assert f"đến ngày {format_date(end)}" not in page


def test_reports_of_a_demo_database_say_so_on_every_page(app, seeded, as_user):
    from app.demo_mode import forget_demo_mode, mark_demo_database

    client = as_user("leader")
    assert "Dữ liệu minh họa" not in client.get("/reports/weekly").get_data(as_text=True)
    with app.app_context():
        mark_demo_database()
        db.session.commit()
    forget_demo_mode(app)
    page = client.get("/reports/weekly").get_data(as_text=True)
    assert '<div class="demo-mark" data-demo-mark>Dữ liệu minh họa</div>' in page
    assert '@top-right { content: "Dữ liệu minh họa"' in page  # every printed page
    document = docx_of(fetch_document(client, "/reports/weekly.docx"))
    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        assert "Dữ liệu minh họa" in [p.text for p in header.paragraphs]
    reader = pdf_of(fetch_document(client, "/reports/weekly.pdf"))
    assert all("Dữ liệu minh họa" in page.extract_text() for page in reader.pages)
