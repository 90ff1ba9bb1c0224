"""From a pasted conclusion notice to eight issued directives, in a real browser: the preview
highlights what was recognised, one unit is corrected in place (htmx), all are issued at once."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in

NOTICE = """TỈNH ỦY GIA LAI
Số 15-TB/TU
Gia Lai, ngày 08 tháng 01 năm 2027
THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY
I. ĐÁNH GIÁ CHUNG
Bộ máy chính quyền địa phương hai cấp vận hành ổn định.
II. NHIỆM VỤ THỜI GIAN TỚI
1. Đảng ủy các xã, phường tiếp tục kiện toàn tổ chức bộ máy; hoàn thành trong tháng 3/2027.
2. Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ tham mưu bổ sung biên chế còn thiếu; hoàn thành trước ngày 30/03/2027.
3. UBND các xã, phường xây dựng kế hoạch hành động thực hiện nghị quyết đại hội; hoàn thành trước ngày 15/04/2027.
4. Các xã, phường quan tâm công tác giảm nghèo, an sinh xã hội; thực hiện thường xuyên, báo cáo hằng quý.
5. Các sở, ban, ngành của tỉnh bố trí kinh phí giúp các xã, phường hoàn thiện cơ sở hạ tầng; thực hiện thường xuyên.
6. Giao Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh rà soát cơ chế phân cấp, phân quyền; trong quý II/2027.
7. Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường hỗ trợ các xã, phường thu hút đầu tư; hoàn thành trước ngày 30/06/2027.
8. Sở Nội vụ chủ trì tổ chức tập huấn chuyên sâu cho công chức cấp xã; hoàn thành trong tháng 5/2027.
Văn phòng Tỉnh ủy thông báo để các cơ quan, đơn vị biết, thực hiện./.
"""


def issue_notice_with_one_correction(office) -> None:
    """The coordinator pastes NOTICE on the first meeting, checks the preview, corrects II.2's
    support unit in place and issues all (also the start of tests/browser/test_delegation_flow.py)."""
    office.route("https://unpkg.com/**", lambda route: route.abort())  # the vendored htmx only
    log_in(office, "vanphong.demo")
    office.get_by_role("link", name="Hội nghị").first.click()
    office.locator("#meetings-table a").first.click()
    office.get_by_role("button", name="Ban hành từ thông báo kết luận").click()
    office.get_by_label("Hoặc dán nội dung thông báo").fill(NOTICE)
    office.get_by_role("button", name="Đọc thông báo").click()

    expect(office.get_by_role("heading", name="Xem trước: 9 mục kết luận")).to_be_visible()
    item = office.locator("#notice-item-2")  # conclusion II.2
    expect(item.locator("mark.hl-lead")).to_have_text("Ban Tổ chức Tỉnh ủy")
    expect(item.locator("mark.hl-support")).to_have_text("Sở Nội vụ")
    expect(item.locator("mark.hl-deadline")).to_have_text("trước ngày 30/03/2027")
    # the assessment section is shown but left out
    expect(office.locator("#notice-item-0 input[type=checkbox]")).not_to_be_checked()

    # The coordinator corrects one unit in place: Sở Tư pháp supports, not Sở Nội vụ.
    office.evaluate("window.stillTheSamePage = true")
    item.get_by_role("button", name="Bỏ Sở Nội vụ").click()
    expect(item.locator(".chip-support")).to_have_count(0)
    item.get_by_label("Thêm đơn vị").fill("Sở Tư pháp")
    item.get_by_label("Vai trò").select_option(label="Phối hợp")
    item.get_by_role("button", name="Thêm đơn vị").click()
    expect(item.locator(".chip-support")).to_contain_text("Sở Tư pháp")
    assert office.evaluate("window.stillTheSamePage") is True, "corrections should not reload the page"

    office.get_by_role("button", name="Ban hành các mục đã chọn").click()
    expect(office.get_by_text("Đã ban hành 8 chỉ đạo từ thông báo kết luận.")).to_be_visible()


def test_paste_a_notice_correct_one_unit_and_issue_eight_directives(new_page):
    office = new_page()
    issue_notice_with_one_correction(office)
    section = office.locator("#meeting-directives")
    expect(section).to_contain_text("Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ tham mưu")
    section.get_by_role("link", name="Giao Ban Tổ chức Tỉnh ủy chủ trì").click()
    expect(office.locator("#directive-notice")).to_contain_text("mục II.2")
    expect(office.get_by_text("Sở Tư pháp").first).to_be_visible()
    expect(office.get_by_text("Ban Tổ chức Tỉnh ủy").first).to_be_visible()
