"""The bell and the notifications page in a real browser: htmx loads the count, marks read in place."""


import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app import create_app
from app.extensions import db
from app.models import User
from app.notifications import notify
from app.notifications.models import Notification
from tests.browser.conftest import log_in
from tests.live_server import serve_demo


def _two_notifications(database_url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "browser-test-secret"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "xa.demo"))
        # The demo's own events notified xa.demo too; start this test from exactly two.
        db.session.execute(delete(Notification).where(Notification.recipient_id == user.id))
        notify(user, "test.event", "Kiến nghị của xã đã được trả lời", "/")
        notify(user, "test.event", "Chỉ đạo mới giao cho xã", "/")
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The demo site under gunicorn, plus two notifications for xa.demo written to its database."""
    with serve_demo(tmp_path_factory.mktemp("live_notifications"), prepare=_two_notifications) as base_url:
        yield base_url


def test_bell_counts_and_marking_read_updates_it_in_place(new_page):
    page = new_page()
    log_in(page, "xa.demo")
    bell = page.locator("#notification-bell [data-testid=unread-count]")
    expect(bell).to_have_text("2")  # filled in by htmx after the page loaded

    page.locator("#notification-bell a").click()
    page.wait_for_url("**/notifications")
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator("tr.notification-unread").first
    row.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.locator("tr.notification-read")).to_have_count(1)
    expect(bell).to_have_text("1")  # the HX-Trigger event refreshed the bell
    expect(page.locator("#unread-total")).to_have_text("1 thông báo chưa đọc")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.locator("tr.notification-unread")).to_have_count(0)
    expect(bell).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Chỉ đạo mới giao cho xã").click()
    page.wait_for_url(lambda url: url.endswith("/"))
