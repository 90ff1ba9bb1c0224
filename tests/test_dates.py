"""One way to type a date (issue 15, 3): every date box is text typed and shown dd/mm/yyyy whatever
the browser's language, "5/1/2026" is read as 05/01/2026, a wrong date gets a clear message, and
the calendar picker learns the days off from the server."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.days_off.models import DayOff
from app.extensions import db
from app.forms import parse_day
from app.models import Meeting
from tests.meetings.test_meeting_views import _form

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NATIVE_DATE_BOX = re.compile(r"""type=["']date["']""")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        (" 5 / 1 / 2026 ", date(2026, 1, 5)),
        ("5-1-2026", date(2026, 1, 5)),
        ("5.1.2026", date(2026, 1, 5)),
        ("2026-01-05", date(2026, 1, 5)),  # links and old bookmarks
        ("31/12/2026", date(2026, 12, 31)),
        ("29/02/2028", date(2028, 2, 29)),
        ("31/02/2026", None),
        ("1/13/2026", None),  # month first is not a date here
        ("12/28/", None),
        ("5/1/26", None),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_parse_day_reads_day_first(typed, day):
    assert parse_day(typed) == day


def test_no_template_uses_the_browsers_own_date_box():
    """A native date box shows mm/dd/yyyy in an English browser and cut the year in the assign panel."""
    offenders = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html") if NATIVE_DATE_BOX.search(p.read_text())]
    assert offenders == []


@pytest.mark.parametrize(
    ("role", "url", "names"),
    [
        ("coordinator", "/meetings/new", ["held_on"]),
        ("coordinator", "/directives/new", ["deadline"]),
        ("coordinator", "/proposals/", ["from", "to"]),
        ("leader", "/dashboard/?period=custom&from=5/1/2026&to=2026-01-31", ["from", "to"]),
        ("admin", "/admin/days-off/", ["date"]),
    ],
)
def test_date_boxes_are_dd_mm_yyyy_text_with_a_picker(login_as, role, url, names):
    page = login_as(role).get(url).get_data(as_text=True)
    assert not NATIVE_DATE_BOX.search(page)
    for name in names:
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert box, name
        tag = box.group(0)
        assert 'type="text"' in tag and "data-date-picker" in tag and 'placeholder="dd/mm/yyyy"' in tag, tag
        assert 'inputmode="numeric"' in tag
    if "dashboard" in url:  # what was typed comes back written the one way
        assert 'value="05/01/2026"' in page and 'value="31/01/2026"' in page


def test_base_page_loads_the_vendored_picker_and_the_days_off_url(login_as):
    page = login_as("commune_a").get("/").get_data(as_text=True)
    assert '<script defer src="/static/vendor/flatpickr-4.6.13.min.js"></script>' in page
    assert 'data-calendar-url="/calendar/days-off"' in page


def test_a_form_takes_5_1_2026_and_shows_it_back_as_05_01_2026(app, login_as):
    client = login_as("coordinator")
    response = client.post("/meetings/new", data=_form(app, held_on="5/1/2026"), content_type="multipart/form-data")
    assert response.status_code == 303
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).held_on == date(2026, 1, 5)
    edit = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert re.search(r'name="held_on"[^>]*value="05/01/2026"', edit)


def test_a_month_first_date_is_refused_with_the_typed_text_kept(app, login_as):
    client = login_as("coordinator")
    response = client.post("/meetings/new", data=_form(app, held_on="12/28/2026"), content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026." in body
    assert re.search(r'name="held_on"[^>]*value="12/28/2026"', body)
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) is None


def test_the_proposal_list_filters_by_dates_typed_day_first(login_as):
    page = login_as("coordinator").get("/proposals/?from=5/1/2026&to=31/1/2026").get_data(as_text=True)
    assert re.search(r'name="from"[^>]*value="05/01/2026"', page)
    assert re.search(r'name="to"[^>]*value="31/01/2026"', page)


def test_calendar_days_off_for_the_picker(app, login_as):
    with app.app_context():
        db.session.add(DayOff(date=date(2026, 1, 2), reason="Quyết định 12/QĐ-UBND"))
        db.session.commit()
    response = login_as("commune_a").get("/calendar/days-off?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    off = {item["date"]: item["name"] for item in data["off"]}
    assert data["year"] == 2026
    assert off["2026-01-01"] == "Tết Dương lịch"
    assert off["2026-01-02"] == "Quyết định 12/QĐ-UBND"  # the admin's extra day off
    assert "Tết Nguyên Đán" in off["2026-02-17"]
    assert all(date.fromisoformat(day).weekday() >= 5 for day in data["worked"])
    # A nonsense year falls back to this year rather than failing.
    assert login_as("commune_a").get("/calendar/days-off?year=abc").status_code == 200
