"""The bell, the notifications page, marking read and the e-mail preference page."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from app.notifications.routes import BELL_ID, CHANGED_EVENT, LIST_ID, ROW_ID
from tests.notifications.conftest import add_notifications, notifications_of, set_user


def unread_in(body: str) -> str | None:
    match = re.search(r'data-testid="unread-count">([^<]+)<', body)
    return match.group(1) if match else None


def test_pages_carry_the_bell_that_htmx_loads_and_polls(login_as):
    body = login_as("commune_a").get("/").get_data(as_text=True)
    assert f'id="{BELL_ID}"' in body
    assert 'hx-get="/notifications/bell"' in body
    assert 'hx-trigger="load, every 60s, notifications-changed from:body"' in body
    assert 'href="/notifications"' in body  # without JavaScript the bell is still a link


def test_no_bell_while_the_password_must_change(login_as, app, users):
    client = login_as("commune_a")
    set_user(app, users["commune_a"], must_change_password=True)
    body = client.get("/account/password").get_data(as_text=True)
    assert f'id="{BELL_ID}"' not in body  # its polling would be redirected to this page forever


def test_bell_fragment_counts_only_my_unread(login_as, app, users):
    client = login_as("commune_a")
    response = client.get("/notifications/bell", htmx=True)
    assert response.status_code == 200 and unread_in(response.get_data(as_text=True)) is None
    add_notifications(app, users["commune_a"], 3)
    add_notifications(app, users["commune_b"], 2)
    response = client.get("/notifications/bell", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert unread_in(body) == "3"
    assert "3 chưa đọc" in body
    assert response.headers["Cache-Control"] == "no-store"


def test_bell_shows_99_plus(login_as, app, users):
    add_notifications(app, users["leader"], 100)
    assert unread_in(login_as("leader").get("/notifications/bell", htmx=True).get_data(as_text=True)) == "99+"


def test_bell_stops_polling_when_logged_out(client):
    response = client.get("/notifications/bell", htmx=True)
    assert response.status_code == 286 and response.get_data(as_text=True) == ""


def test_notifications_page_needs_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_page_lists_only_my_notifications_newest_first(login_as, app, users):
    add_notifications(app, users["commune_a"], 2)
    add_notifications(app, users["commune_b"], 1, title="Của xã khác")
    body = login_as("commune_a").get("/notifications").get_data(as_text=True)
    assert body.index("Thông báo số 2") < body.index("Thông báo số 1")
    assert "Của xã khác" not in body
    assert body.count('class="notification-unread"') == 2
    assert "2 thông báo chưa đọc" in body


def test_page_is_paginated(login_as, app, users):
    app.config["PAGE_SIZE"] = 2
    add_notifications(app, users["commune_a"], 3)
    client = login_as("commune_a")
    first = client.get("/notifications").get_data(as_text=True)
    assert "Thông báo số 3" in first and "Thông báo số 1" not in first and "Trang 1 / 2" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Thông báo số 1" in second and "Thông báo số 3" not in second
    fragment = client.get("/notifications?page=2", htmx=True)
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and f'id="{LIST_ID}"' in text and "Thông báo số 1" in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_mark_one_read_in_place(login_as, app, users):
    [mine] = add_notifications(app, users["commune_a"], 1)
    response = login_as("commune_a").post(f"/notifications/{mine}/read", htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and f'id="{ROW_ID.format(mine)}"' in body and 'class="notification-read"' in body
    assert response.headers["HX-Trigger"] == CHANGED_EVENT  # the bell refreshes itself
    assert '<small id="unread-total" hx-swap-oob="true">0 thông báo chưa đọc</small>' in body
    assert notifications_of(app, users["commune_a"])[0].read_at is not None


def test_mark_one_read_without_js_redirects_back(login_as, app, users):
    [mine] = add_notifications(app, users["commune_a"], 1)
    response = login_as("commune_a").post(f"/notifications/{mine}/read?page=2&unread=1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications?page=2&unread=1"
    assert notifications_of(app, users["commune_a"])[0].read_at is not None


@pytest.mark.parametrize("action", ["read", "open"])
def test_someone_elses_notification_is_not_found(login_as, app, users, action):
    [theirs] = add_notifications(app, users["commune_b"], 1)
    response = login_as("commune_a").post(f"/notifications/{theirs}/{action}", htmx=True)
    assert response.status_code == 404
    assert notifications_of(app, users["commune_b"])[0].read_at is None


def test_mark_read_without_csrf_token_is_refused(login_as, app, users):
    [mine] = add_notifications(app, users["commune_a"], 1)
    response = login_as("commune_a").post(f"/notifications/{mine}/read", htmx=True, csrf=False)
    assert response.status_code == 400
    assert "mã bảo mật" in response.get_data(as_text=True)
    assert notifications_of(app, users["commune_a"])[0].read_at is None


def test_opening_marks_read_and_goes_to_the_item(login_as, app, users):
    [mine] = add_notifications(app, users["commune_a"], 1, link="/proposals/42#answer")
    response = login_as("commune_a").post(f"/notifications/{mine}/open")
    assert response.status_code == 303 and response.headers["Location"] == "/proposals/42#answer"
    assert notifications_of(app, users["commune_a"])[0].read_at is not None


def test_mark_all_read_touches_only_mine(login_as, app, users):
    add_notifications(app, users["commune_a"], 3)
    add_notifications(app, users["commune_b"], 1)
    client = login_as("commune_a")
    response = client.post("/notifications/read-all", htmx=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == CHANGED_EVENT
    body = response.get_data(as_text=True)
    assert "<html" not in body and "0 thông báo chưa đọc" in body and "notification-unread" not in body
    assert all(n.read_at for n in notifications_of(app, users["commune_a"]))
    assert notifications_of(app, users["commune_b"])[0].read_at is None
    assert unread_in(client.get("/notifications/bell", htmx=True).get_data(as_text=True)) is None


def test_mark_all_read_without_js(login_as, app, users):
    add_notifications(app, users["commune_a"], 2)
    client = login_as("commune_a")
    response = client.post("/notifications/read-all")
    assert response.status_code == 303 and response.headers["Location"] == "/notifications"
    assert "Đã đánh dấu 2 thông báo là đã đọc." in client.get("/notifications").get_data(as_text=True)
    assert client.post("/notifications/read-all", csrf=False).status_code == 400


def test_unread_filter(login_as, app, users):
    first, second = add_notifications(app, users["commune_a"], 2)
    client = login_as("commune_a")
    client.post(f"/notifications/{first}/read")
    body = client.get("/notifications?unread=1").get_data(as_text=True)
    assert "Thông báo số 2" in body and "Thông báo số 1" not in body


def test_user_chooses_the_daily_digest(login_as, app, users):
    set_user(app, users["department"], email="so.xd@gialai.gov.vn")
    client = login_as("department")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "so.xd@gialai.gov.vn" in page and "Gửi một thư tổng hợp mỗi ngày" in page
    assert "chưa được cấu hình gửi thư" in page
    response = client.post("/account/notifications", data={"email_preference": "digest"})
    assert response.status_code == 303 and response.headers["Location"] == "/account/notifications"
    with app.app_context():
        assert db.session.get(User, users["department"].id).email_preference == "digest"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.email_preference"))
        assert event.before == {"email_preference": "immediate"} and event.after == {"email_preference": "digest"}
        assert event.actor_id == users["department"].id


def test_preference_must_be_one_of_the_three(login_as, app, users):
    response = login_as("commune_a").post("/account/notifications", data={"email_preference": "hourly"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, users["commune_a"].id).email_preference == "immediate"


def test_preference_page_warns_without_an_address(login_as):
    body = login_as("commune_b").get("/account/notifications").get_data(as_text=True)
    assert "chưa có địa chỉ thư điện tử" in body
