"""Two browsers edit the same draft: the second save is refused, keeps its text, shows what
the other changed, and goes through on one more click."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in

TITLE = "Nâng cấp đường vào khu sản xuất (sửa đồng thời)"


def test_second_save_is_refused_and_keeps_its_text(new_page):
    first = new_page()
    log_in(first, "xa.demo")
    first.goto("/proposals/new")
    first.get_by_label("Tiêu đề").fill(TITLE)
    first.get_by_label("Nội dung kiến nghị").fill("Bản đầu tiên.")
    first.get_by_label("Lĩnh vực").select_option(label="Giao thông")
    first.get_by_role("button", name="Lưu nháp").click()
    expect(first.get_by_text("Đã lưu nháp kiến nghị.")).to_be_visible()
    edit_url = first.url.rstrip("/") + "/edit"

    # Both open the edit form of the same draft.
    second = new_page()
    log_in(second, "xa.demo")
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("Nội dung kiến nghị").fill("Nội dung của trình duyệt thứ nhất.")
    first.get_by_role("button", name="Lưu nháp").click()
    expect(first.get_by_text("Đã lưu kiến nghị.")).to_be_visible()

    second.get_by_label("Nội dung kiến nghị").fill("Nội dung của trình duyệt thứ hai, không được ghi đè.")
    second.get_by_role("button", name="Lưu nháp").click()
    notice = second.locator("[data-conflict]")
    expect(notice).to_contain_text("vừa lưu hồ sơ này")
    expect(notice).to_contain_text("Nội dung của trình duyệt thứ nhất.")  # what the other person changed
    expect(second.get_by_label("Nội dung kiến nghị")).to_have_value("Nội dung của trình duyệt thứ hai, không được ghi đè.")

    # What is saved is the first browser's text.
    first.goto(first.url.replace("/edit", ""))
    expect(first.get_by_text("Nội dung của trình duyệt thứ nhất.")).to_be_visible()
    expect(first.get_by_text("không được ghi đè")).to_have_count(0)

    # One more click saves the second browser's text on top of the current version.
    second.get_by_role("button", name="Lưu nháp").click()
    expect(second.get_by_text("Đã lưu kiến nghị.")).to_be_visible()
    expect(second.get_by_text("Nội dung của trình duyệt thứ hai, không được ghi đè.")).to_be_visible()
