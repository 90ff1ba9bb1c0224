"""Report 4: the coordinator's weekly summary for the leaders."""

from datetime import timedelta

from app.extensions import db
from app.models import User
from app.proposals import services, workflow
from app.proposals.models import Proposal
from tests.directives.conftest import days
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, table_texts


def _long_overdue(app, users, seeded, make_proposal, make_directive, assign):
    """A commune that disagrees with its answer, and items overdue for more than 30 days."""
    make_proposal(workflow.ASSIGNED, title="Trường học quá hạn lâu", lead="SNV", deadline_days=-35)
    old = make_directive(title="Báo cáo rà soát đất công", deadline=days(-40))
    assign(old, ["SNV"])
    with app.app_context():
        answered = db.session.get(Proposal, seeded["proposals"]["on_time"])
        services.give_feedback(answered, db.session.get(User, users["commune_b"].id), workflow.DISAGREE,
                               "Chưa bố trí vốn như đã hứa.")
        db.session.commit()


def test_weekly_summary_has_what_came_in_was_answered_is_late_and_needs_a_decision(
    app, users, seeded, as_user, make_proposal, make_directive, assign
):
    _long_overdue(app, users, seeded, make_proposal, make_directive, assign)
    client = as_user("coordinator")
    document = docx_of(fetch_document(client, "/reports/weekly.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("Tổng hợp tình hình kiến nghị và thực hiện chỉ đạo trong tuần (từ ngày ") for p in paragraphs)
    headings = [p for p in paragraphs if p[:2] in {f"{n}." for n in range(1, 7)}]
    assert headings == ["1. Kiến nghị tiếp nhận trong tuần", "2. Kiến nghị được trả lời trong tuần",
                        "3. Thực hiện chỉ đạo", "4. Kiến nghị quá hạn trả lời", "5. Nhiệm vụ quá hạn",
                        "6. Đề nghị lãnh đạo cho ý kiến chỉ đạo"]
    assert "Trong tuần, các xã, phường gửi 7 kiến nghị, đề xuất." in paragraphs
    assert table_texts(document.tables[1])[-1] == ["", "Tổng cộng", "7"]
    assert "Các sở, ngành trả lời 2 kiến nghị, trong đó 1 đúng hạn, 1 quá hạn." in paragraphs
    answered = table_texts(document.tables[2])
    assert {row[2]: row[5] for row in answered[1:]} == {"Kênh mương đã trả lời": "Đúng hạn",
                                                       "Trụ sở trả lời chậm": "Quá hạn 3 ngày"}
    overdue = table_texts(document.tables[4])
    assert [(row[1], row[5]) for row in overdue[1:]] == [("Trường học quá hạn lâu", "35"), ("Cầu tràn quá hạn", "5")]
    tasks = table_texts(document.tables[5])
    assert [(row[1], row[3], row[4]) for row in tasks[1:]] == [  # most overdue first
        ("Báo cáo rà soát đất công", "1", "Sở Nội vụ (40 ngày)"), ("Kiện toàn tổ chức bộ máy", "1", "Sở Xây dựng (10 ngày)")]
    decisions = table_texts(document.tables[6])
    assert decisions[1:] == [
        ["1", "Kênh mương đã trả lời", "Phường Pleiku; Sở Nội vụ",
         "Xã, phường chưa đồng ý với câu trả lời: Chưa bố trí vốn như đã hứa."],
        ["2", "Trường học quá hạn lâu", "Xã Ia Boòng; Sở Nội vụ", "Quá hạn trả lời 35 ngày"],
        ["3", "Báo cáo rà soát đất công", "1 đơn vị", f"Quá hạn từ 30 ngày trở lên (tính đến {days(0):%d/%m/%Y})"],
    ]
    text = doc_text(document)
    assert "Lãnh đạo Văn phòng" in text and "CHÁNH VĂN PHÒNG" in text


def test_weekly_summary_of_an_earlier_week_as_pdf(seeded, as_user):
    monday = days(0) - timedelta(days=days(0).weekday())
    earlier = monday - timedelta(days=7)
    client = as_user("leader")
    page = client.get(f"/reports/weekly?on={(earlier + timedelta(days=2)):%d/%m/%Y}").get_data(as_text=True)
    span = f"từ ngày {earlier:%d/%m/%Y} đến ngày {(earlier + timedelta(days=6)):%d/%m/%Y}"
    assert span in page
    assert "Trong tuần, các xã, phường gửi 0 kiến nghị, đề xuất." in page  # everything came in this week
    reader = pdf_of(fetch_document(client, f"/reports/weekly.pdf?on={earlier.isoformat()}"))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "BÁO CÁO" in first and span in first
