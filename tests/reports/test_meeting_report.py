"""Report 1: a meeting's proposals grouped by field, with answers, outcomes and totals per outcome."""

import re
from urllib.parse import quote

from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, table_texts


def test_print_page_groups_by_field_and_offers_word_and_pdf(meeting, as_user):
    meeting_id = meeting()
    response = as_user("coordinator").get(f"/reports/meeting?meeting={meeting_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="doc-header" data-layout="party"' in page and "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert "size: A4 portrait" in page and re.search(r"/static/fonts/LiberationSerif-Regular\.[0-9a-f]{12}\.ttf", page)
    # Groups follow the fields' order (the admin's list: Trụ sở làm việc comes first).
    assert '<tr class="group"><td colspan="7">I. Trụ sở làm việc (1 kiến nghị)</td></tr>' in page
    assert page.index("I. Trụ sở làm việc") < page.index("II. Giao thông (3 kiến nghị)") < page.index("III. Thủy lợi (1 kiến nghị)")
    assert "Không gắn hội nghị" not in page and "Nháp chưa gửi" not in page
    assert "Đã chuyển xử lý, quá hạn 4 ngày" in re.sub(r"<[^>]+>", "", page)
    assert f'action="/reports/meeting.docx?meeting={meeting_id}"' in page
    assert f'action="/reports/meeting.pdf?meeting={meeting_id}"' in page and 'href="/reports/"' in page


def test_word_document_has_the_party_header_the_groups_and_the_outcome_totals(meeting, as_user):
    meeting_id = meeting()
    response = fetch_document(as_user("leader"), f"/reports/meeting.docx?meeting={meeting_id}")
    document = docx_of(response)
    name = "Báo cáo kiến nghị Hội nghị giao ban tháng 9 24-09-2025.docx"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Bao cao kien nghi Hoi nghi giao ban thang 9 24-09-2025.docx"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size.pt == 13
    header = table_texts(document.tables[0])
    assert header[0][0].splitlines() == ["TỈNH ỦY GIA LAI", "VĂN PHÒNG", "*"]
    assert header[0][1].rstrip() == "ĐẢNG CỘNG SẢN VIỆT NAM" and header[1][0].endswith("-BC/VPTU")
    assert header[1][1].startswith("Gia Lai, ngày ")
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả giải quyết kiến nghị, đề xuất của các xã, phường tại Hội nghị giao ban tháng 9 ngày 24/09/2025" in texts
    rows = table_texts(document.tables[1])
    assert rows[0] == ["TT", "Xã, phường", "Nội dung kiến nghị", "Đơn vị chủ trì", "Trả lời", "Kết quả", "Trạng thái"]
    assert [r[0] for r in rows if len(r) == 1] == [
        "I. Trụ sở làm việc (1 kiến nghị)", "II. Giao thông (3 kiến nghị)", "III. Thủy lợi (1 kiến nghị)"]
    road = next(r for r in rows if len(r) > 2 and r[2].startswith("Đường liên thôn Ia Boòng"))
    assert road == ["1", "Xã Ia Boòng", "Đường liên thôn Ia Boòng. Kinh phí đề nghị: 18.000.000.000 đồng", "Sở Xây dựng",
                    "Đã bố trí vốn năm 2026.", "Đã giải quyết", "Hoàn thành"]
    # Answers were given: the answer column is 26 mm, the content 45 mm (Word's grid and each cell).
    assert round(document.tables[1].columns[4].width.mm) == 26 and round(document.tables[1].rows[2].cells[4].width.mm) == 26
    assert round(document.tables[1].columns[2].width.mm) == 45
    totals = table_texts(document.tables[2])
    assert totals[1:] == [
        ["1", "Đã giải quyết", "2"], ["2", "Đang giải quyết", "0"], ["3", "Giải trình, cung cấp thông tin", "0"],
        ["4", "Chưa trả lời (đang tiếp nhận, xử lý)", "2"], ["5", "Đã rút", "1"], ["", "Tổng cộng", "5"]]
    assert all(run.bold for cell in document.tables[2].rows[-1].cells for p in cell.paragraphs for run in p.runs)
    text = doc_text(document)
    assert "các xã, phường đã kiến nghị, đề xuất 5 nội dung thuộc 3 lĩnh vực" in text
    assert "Nơi nhận:" in text and "CHÁNH VĂN PHÒNG" in text
    # HD 36: lines end with a comma, the last names where the copy is kept, with a full stop.
    assert "- Thường trực Tỉnh ủy (để báo cáo)," in text and text.rstrip().count("- Lưu Văn phòng Tỉnh ủy.") == 1


def test_pdf_is_the_same_report_on_a4(meeting, as_user):
    meeting_id = meeting()
    reader = pdf_of(fetch_document(as_user("leader"), f"/reports/meeting.pdf?meeting={meeting_id}"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    first = reader.pages[0].extract_text()
    assert first.startswith("TỈNH ỦY GIA LAI\nVĂN PHÒNG\n*\nĐẢNG CỘNG SẢN VIỆT NAM") and "BÁO CÁO" in first
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # cells wrap lines
    assert "II. Giao thông (3 kiến nghị)" in text and "Cầu tràn làng Kon Hrách" in text
    assert "Tổng cộng" in text and "Nơi nhận:" in text


def test_a_state_bodys_meeting_gets_the_state_layout(meeting, as_user):
    meeting_id = meeting("UB-VP")
    page = as_user("leader").get(f"/reports/meeting?meeting={meeting_id}").get_data(as_text=True)
    assert 'data-layout="state"' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "UBND TỈNH GIA LAI" in page and "/BC-VPUBND" in page and "- Lưu: VT, VPUBND." in page


def test_the_meeting_page_links_to_its_reports(meeting, as_user):
    meeting_id = meeting()
    page = as_user("leader").get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert f'href="/reports/meeting?meeting={meeting_id}"' in page
    assert f'href="/reports/directives?meeting={meeting_id}"' in page
    assert 'id="meeting-reports"' not in as_user("commune_a").get(f"/meetings/{meeting_id}").get_data(as_text=True)
