"""A proposal's life in a real browser: filed by a commune, assigned by the coordinator,
answered by the department and closed, each person checking what they see."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in

TITLE = "Sửa chữa cầu treo qua suối làng Ia Dêr (kiểm thử)"


def test_commune_files_coordinator_assigns_department_answers_coordinator_closes(new_page):
    # The commune writes and sends the proposal.
    commune = new_page()
    log_in(commune, "xa.demo")
    commune.get_by_text("Viết kiến nghị mới").first.click()
    commune.get_by_label("Tiêu đề").fill(TITLE)
    commune.get_by_label("Nội dung kiến nghị").fill("Cầu treo bị hư hỏng mặt cầu, <b>nguy hiểm</b> cho học sinh.")
    commune.get_by_label("Lĩnh vực").select_option(label="Giao thông")
    commune.get_by_label("Kinh phí đề nghị").fill("850.000.000")
    commune.get_by_role("button", name="Gửi lên tỉnh").click()
    expect(commune.get_by_text("Đã gửi kiến nghị lên tỉnh.")).to_be_visible()
    expect(commune.locator("h1")).to_have_text(TITLE)
    expect(commune.locator("[data-state]").first).to_have_text("Đã gửi")
    expect(commune.get_by_text("Cầu treo bị hư hỏng mặt cầu, <b>nguy hiểm</b> cho học sinh.")).to_be_visible()
    proposal_url = commune.url

    # The coordinator finds it in the inbox and assigns it to Sở Xây dựng (the field's default).
    coordinator = new_page()
    log_in(coordinator, "vanphong.demo")
    inbox = coordinator.locator("#proposal-inbox")
    inbox.get_by_role("link", name=TITLE).click()
    assign = coordinator.locator('form[data-action="assign"]')
    expect(assign.get_by_label("Đơn vị chủ trì")).to_have_value(re.compile(r"\d+"))
    assign.get_by_label("Đơn vị chủ trì").select_option(label="Sở Xây dựng")
    with coordinator.expect_response(lambda r: r.url.endswith("/assign")) as posted:
        assign.get_by_role("button", name="Chuyển xử lý").click()
    # htmx sent it and swapped the answer in: a 200 fragment, not a 303 and a new page.
    assert posted.value.status == 200 and posted.value.request.headers.get("hx-request") == "true"
    expect(coordinator.get_by_text("Đã chuyển kiến nghị cho đơn vị xử lý.")).to_be_visible()
    expect(coordinator.locator("[data-state]").first).to_have_text("Đã chuyển xử lý")
    expect(coordinator.locator(".assignment")).to_contain_text("Sở Xây dựng")
    assert coordinator.url == proposal_url  # swapped in place, no navigation

    # The department sees it in its queue and answers.
    department = new_page()
    log_in(department, "so.demo")
    department.get_by_role("link", name=TITLE).click()
    answer = department.locator('form[data-action="answer"]')
    answer.get_by_label("Đã giải quyết").check()
    answer.get_by_label("Nội dung trả lời").fill("Sở Xây dựng đã bố trí kinh phí sửa chữa, thi công xong trong tháng.")
    answer.get_by_role("button", name="Gửi trả lời").click()
    expect(department.get_by_text("Đã gửi câu trả lời.")).to_be_visible()
    expect(department.locator(".answer")).to_contain_text("Đã giải quyết")
    expect(department.locator('form[data-action="answer"]')).to_have_count(0)

    # The commune sees the answer; it cannot close.
    commune.reload()
    expect(commune.locator(".answer")).to_contain_text("thi công xong trong tháng")
    expect(commune.locator('form[data-action="close"]')).to_have_count(0)

    # The coordinator closes it.
    coordinator.reload()
    coordinator.locator('form[data-action="close"]').get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(coordinator.get_by_text("Đã hoàn thành kiến nghị.")).to_be_visible()
    expect(coordinator.locator("[data-state]").first).to_have_text("Hoàn thành")
    timeline = coordinator.locator(".timeline")
    for step in ("Tạo kiến nghị", "Gửi lên tỉnh", "Chuyển xử lý", "Trả lời", "Hoàn thành"):
        expect(timeline).to_contain_text(step)

    # Everyone involved now sees it as done.
    commune.reload()
    expect(commune.locator("[data-state]").first).to_have_text("Hoàn thành")
    department.reload()
    expect(department.locator("[data-state]").first).to_have_text("Hoàn thành")


def test_list_search_swaps_the_table_and_keeps_the_url(new_page):
    page = new_page()
    log_in(page, "vanphong.demo")
    page.goto("/proposals/")
    requests = []
    page.on("request", lambda r: requests.append(r) if "/proposals/?" in r.url else None)
    page.get_by_label("Tìm kiếm").press_sequentially("truong hoc", delay=20)
    # The address bar gets the short URL (only the filters in use).
    expect(page).to_have_url(re.compile(r"/proposals/\?q=truong(\+|%20)hoc$"))
    rows = page.locator("#proposals-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("trường tiểu học")
    assert requests and all(r.headers.get("hx-request") == "true" for r in requests)
    page.get_by_label("Trạng thái").select_option(label="Hoàn thành")
    expect(page.locator("#proposals-table")).to_contain_text("Không có kiến nghị nào phù hợp.")
    # The same URL opened directly renders the whole page with the filters filled in.
    page.goto(page.url)
    expect(page.get_by_label("Tìm kiếm")).to_have_value("truong hoc")
    expect(page.locator("h1")).to_have_text("Kiến nghị")
