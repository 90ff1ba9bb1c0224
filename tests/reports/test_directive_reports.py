"""Report 2: directive follow-up (a period or a meeting), with the dashboard's numbers and rates
that its own table supports; report 3: one unit's record."""

import re
from datetime import date

from app.directives.models import Directive
from app.extensions import db
from app.models import Meeting
from tests.dashboard.conftest import ids
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, table_texts

RATE_RE = re.compile(r"= (\d+)/(\d+) = ([\d,]+%|—)")


def five_way(table) -> dict[str, int]:
    rows = table_texts(table)
    assert rows[0] == ["TT", "Tình trạng nhiệm vụ", "Số nhiệm vụ"]
    return {label: int(count) for _n, label, count in rows[1:]}


def test_follow_up_for_a_period_has_the_dashboards_counts_and_supported_rates(seeded, as_user):
    client = as_user("leader")
    document = docx_of(fetch_document(client, f"/reports/directives.docx?{seeded['query']}"))
    counts = five_way(document.tables[1])
    assert counts == {"Hoàn thành đúng hạn": 1, "Hoàn thành quá hạn": 1, "Đang thực hiện trong hạn": 1,
                      "Đang thực hiện quá hạn": 1, "Thường xuyên": 2, "Tạm hoãn": 0, "Tổng số nhiệm vụ được giao": 6}
    # The same numbers as the dashboard for the same period.
    dashboard = client.get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    five = dashboard[dashboard.index('id="dash-five-way"'):]
    assert re.search(r'data-status="open_overdue">.*?data-count="(\d+)"', five, re.S).group(1) == "1"
    assert re.search(r'data-rate="completion"><span class="rate"[^>]*title="Tỷ lệ hoàn thành nhiệm vụ đến hạn: 2/3[^"]*"><span class="rate-value">66,7%<', five)
    # Every rate is written with the table rows it comes from, and they agree with the table.
    rates = [p.text for p in document.paragraphs if p.text.startswith("Tỷ lệ")]
    completion, on_time = (RATE_RE.search(text).groups() for text in rates)
    done = counts["Hoàn thành đúng hạn"] + counts["Hoàn thành quá hạn"]
    assert completion == (str(done), str(done + counts["Đang thực hiện quá hạn"]), "66,7%")
    assert on_time == (str(counts["Hoàn thành đúng hạn"]), str(done), "50%")
    per_directive = table_texts(document.tables[2])
    assert per_directive[0] == ["Tình hình", "Số đơn vị", "Đơn vị"]
    groups = [r[0] for r in per_directive if len(r) == 1]
    assert groups[0].startswith("1. Kiện toàn tổ chức bộ máy (thời hạn ") and groups[0].endswith("hoàn thành 2/4 đơn vị)")
    assert groups[1].startswith("2. Giảm nghèo, an sinh xã hội (thường xuyên, báo cáo hằng tháng")
    staffing = per_directive[2:6]
    assert staffing == [
        ["Hoàn thành đúng hạn", "1", "Xã Ia Boòng"],
        ["Hoàn thành quá hạn", "1", "Phường Pleiku (8 ngày)"],
        ["Đang thực hiện quá hạn", "1", "Sở Xây dựng (10 ngày)"],
        ["Chưa báo cáo", "1", "Sở Nội vụ"],
    ]
    assert per_directive[-1] == ["Chưa báo cáo", "2", "Phường Pleiku, Xã Ia Boòng"]
    assert document.tables[0].rows[0].cells[0].text.splitlines()[:2] == ["TỈNH ỦY GIA LAI", "VĂN PHÒNG"]  # the leader's office


def test_follow_up_for_a_meeting_as_a_pdf(app, seeded, as_user):
    with app.app_context():
        meeting = Meeting(title="Hội nghị giao ban quý", held_on=date(2025, 9, 24), chair_name="Lương Văn Trọng")
        db.session.add(meeting)
        db.session.flush()
        db.session.get(Directive, seeded["directives"]["staffing"]).meeting_id = meeting.id
        db.session.commit()
        meeting_id = meeting.id
    client = as_user("coordinator")
    page = client.get(f"/reports/directives?meeting={meeting_id}").get_data(as_text=True)
    assert "Tình hình thực hiện các chỉ đạo, kết luận tại Hội nghị giao ban quý ngày 24/09/2025" in page
    assert "Giảm nghèo" not in page  # issued without a meeting
    reader = pdf_of(fetch_document(client, f"/reports/directives.pdf?meeting={meeting_id}"))
    first = reader.pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "BÁO CÁO" in first
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "= 2/3 = 66,7%" in text and "= 1/2 = 50%" in text
    assert "Sở Xây dựng (10 ngày)" in text and "Tổng số nhiệm vụ được giao 4" in text


def test_commune_prints_its_own_record_under_its_own_header(app, seeded, as_user):
    document = docx_of(fetch_document(as_user("commune_a"), "/reports/unit.docx"))
    header = table_texts(document.tables[0])
    assert header[0][0].splitlines()[:2] == ["ỦY BAN NHÂN DÂN", "XÃ IA BOÒNG"]
    assert header[0][1].splitlines() == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[1][1].startswith("Ia Boòng, ngày ")
    assert "Tình hình giải quyết kiến nghị và thực hiện nhiệm vụ của xã Ia Boòng" in [p.text for p in document.paragraphs]
    proposals = table_texts(document.tables[1])
    assert proposals[0] == ["TT", "Nội dung kiến nghị", "Lĩnh vực", "Ngày gửi", "Đơn vị chủ trì", "Trạng thái"]
    titles = [row[1] for row in proposals[1:-1]]
    assert sorted(titles) == sorted(["Kiến nghị mới gửi", "Đường liên thôn trong hạn", "Cầu tràn quá hạn",
                                     "Trụ sở trả lời chậm", "Kiến nghị đã rút"])  # its own, not the draft
    assert proposals[-1][1] == "Tổng cộng: 5 kiến nghị"
    overdue = next(row for row in proposals if row[1] == "Cầu tràn quá hạn")
    assert overdue[4:] == ["Sở Xây dựng", "Đã chuyển xử lý, quá hạn 5 ngày"]
    counts = five_way(document.tables[2])
    assert counts["Hoàn thành đúng hạn"] == 1 and counts["Thường xuyên"] == 1 and counts["Tổng số nhiệm vụ được giao"] == 2
    tasks = table_texts(document.tables[3])
    assert sorted(row[1] for row in tasks[1:]) == ["Giảm nghèo, an sinh xã hội", "Kiện toàn tổ chức bộ máy"]
    signer = document.tables[-1].rows[0].cells[1].text.splitlines()
    assert signer[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_a_departments_record_shows_its_role_on_each_proposal(app, seeded, as_user):
    sxd = ids(app, "SXD")[0]
    page = as_user("coordinator").get(f"/reports/unit?unit={sxd}").get_data(as_text=True)
    assert "Tình hình giải quyết kiến nghị và thực hiện nhiệm vụ của Sở Xây dựng" in page
    assert "Xã Ia Boòng (chủ trì)" in page
    stc = ids(app, "STC")[0]
    text = doc_text(docx_of(fetch_document(as_user("leader"), f"/reports/unit.docx?unit={stc}")))
    assert "Xã Ia Boòng (phối hợp)" in text and "Đường liên thôn trong hạn" in text
    assert "Cầu tràn quá hạn" not in text  # STC has no part in it


def test_department_staff_print_their_own_record(seeded, as_user):
    text = doc_text(docx_of(fetch_document(as_user("department"), "/reports/unit.docx")))
    assert "UBND TỈNH GIA LAI" in text and "SỞ XÂY DỰNG" in text and "GIÁM ĐỐC" in text
    assert "Đang thực hiện quá hạn (10 ngày)" in text
