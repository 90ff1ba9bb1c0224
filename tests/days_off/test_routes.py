"""The admin's extra days off: list with the national holidays, add, remove, audit."""

from datetime import date

import pytest
from sqlalchemy import select

from app.days_off.models import DayOff
from app.extensions import db
from app.models import AuditEvent

URL = "/admin/days-off/"


@pytest.mark.parametrize("role", ["commune_a", "department", "coordinator", "leader"])
def test_only_admins_manage_days_off(login_as, role):
    client = login_as(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"date": "02/01/2026", "reason": "x"}).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_year_lists_national_holidays(login_as):
    body = login_as("admin").get(URL + "?year=2026").get_data(as_text=True)
    assert "17/02/2026" in body and "Tết Nguyên đán" in body
    assert "27/04/2026" in body and "nghỉ bù" in body
    assert "Lịch làm việc" in body


def test_admin_adds_and_removes_a_day_off(login_as, app):
    client = login_as("admin")
    response = client.post(URL + "?year=2026", data={"date": "02/01/2026", "reason": "Quyết định 12/QĐ-UBND"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/days-off/?year=2026"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "02/01/2026" in page and "Quyết định 12/QĐ-UBND" in page and "Đã thêm ngày 02/01/2026 vào lịch của tỉnh: Nghỉ riêng của tỉnh." in page
    with app.app_context():
        day_off = db.session.scalar(select(DayOff))
        assert day_off.date == date(2026, 1, 2) and day_off.created_by.username == "quantri"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "day_off.create"))
        assert event.after == {"date": "2026-01-02", "kind": "day_off", "reason": "Quyết định 12/QĐ-UBND"}
        assert event.actor.username == "quantri"
        day_off_id = day_off.id
    response = client.post(f"{URL}{day_off_id}/delete", htmx=True)
    # htmx follows the redirect and swaps the year's calendar, list and grid, in one piece.
    assert response.status_code == 303 and response.headers["Location"] == "/admin/days-off/?year=2026"
    with app.app_context():
        assert db.session.scalar(select(DayOff)) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "day_off.delete"))
        assert event.before["date"] == "2026-01-02" and event.object_id == str(day_off_id)


def test_remove_without_js_redirects(login_as, app):
    client = login_as("admin")
    client.post(URL, data={"date": "2026-06-01", "reason": "Nghỉ"})
    with app.app_context():
        day_off_id = db.session.scalar(select(DayOff.id))
    response = client.post(f"{URL}{day_off_id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/admin/days-off/?year=2026"
    assert client.post(f"{URL}{day_off_id}/delete").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "", "reason": "x"}, "Nhập ngày (dd/mm/yyyy)"),
        ({"date": "31/02/2026", "reason": "x"}, "Ngày không hợp lệ"),
        ({"date": "17/02/2026", "reason": "x"}, "đã là ngày nghỉ lễ: Tết Nguyên đán"),
        ({"date": "14/03/2026", "reason": "x"}, "ngày nghỉ cuối tuần"),
        ({"date": "02/03/2026", "reason": ""}, "Nhập lý do"),
    ],
)
def test_bad_days_off_are_refused(login_as, app, data, message):
    response = login_as("admin").post(URL, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DayOff)) is None


def test_duplicate_day_off_is_refused(login_as):
    client = login_as("admin")
    assert client.post(URL, data={"date": "02/03/2026", "reason": "Lần một"}).status_code == 303
    response = client.post(URL, data={"date": "02/03/2026", "reason": "Lần hai"})
    assert response.status_code == 400
    assert "Ngày 02/03/2026 đã có trong lịch của tỉnh." in response.get_data(as_text=True)


def test_post_without_csrf_is_refused(login_as, app):
    response = login_as("admin").post(URL, data={"date": "02/03/2026", "reason": "x"}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(DayOff)) is None


def test_nav_shows_days_off_to_admin_only(login_as):
    assert 'href="/admin/days-off/"' in login_as("admin").get("/").get_data(as_text=True)
    assert 'href="/admin/days-off/"' not in login_as("coordinator").get("/").get_data(as_text=True)
