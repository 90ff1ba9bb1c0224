"""Smoke test: the real server, a real browser, the demo coordinator, htmx from the vendored copy."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_coordinator_logs_in_and_htmx_falls_back_to_vendored_copy(new_page):
    page = new_page()
    cdn_requests, vendored = [], []
    # The CDN is unreachable, as in an office without internet.
    page.route("https://unpkg.com/**", lambda route: (cdn_requests.append(route.request.url), route.abort()))
    page.on("request", lambda request: vendored.append(request.url) if "/static/vendor/htmx" in request.url else None)
    log_in(page, "vanphong.demo")
    assert page.locator("h1").first.inner_text().startswith("Xin chào")
    assert "Văn phòng Tỉnh ủy" in page.content()
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("htmx.version") == "2.0.11"
    assert cdn_requests, "the page should try the CDN first"
    assert vendored, "the vendored htmx should have been loaded"


def test_wrong_password_message_in_browser(new_page):
    page = new_page()
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("vanphong.demo")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
