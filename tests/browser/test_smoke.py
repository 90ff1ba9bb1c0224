"""Smoke test: the real server, a real browser, the demo coordinator, htmx from the vendored copy."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in

OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")  # anything not on the test server


def test_home_usable_at_once_when_the_internet_hangs(new_page):
    """An intranet that silently drops outside traffic: no page may wait for it (issue 15, 1)."""
    page = new_page()
    outside = []
    # Every request leaving the intranet hangs forever (the handler never answers it).
    page.route(OUTSIDE, lambda route: outside.append(route.request.url))
    log_in(page, "vanphong.demo")
    page.goto("/", timeout=1000)  # the load event fires within 1 s
    expect(page.locator("h1").first).to_contain_text("Xin chào", timeout=1000)
    assert page.evaluate("window.htmx && htmx.version") == "2.0.11"  # deferred scripts ran before load
    # Usable: the navigation works and an htmx request (the bell's count) is answered.
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true", timeout=1000):
        page.evaluate("htmx.ajax('GET', '/proposals/', {target: 'main', swap: 'none'})")
    page.get_by_role("link", name="Kiến nghị", exact=True).first.click(timeout=1000)
    page.wait_for_url("**/proposals/**", timeout=1000)
    assert outside == [], "no page should ask for anything outside the intranet"


def test_wrong_password_message_in_browser(new_page):
    page = new_page()
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("vanphong.demo")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#password-error")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
